package io.llmspell.outbound;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Name resolution that hands the connector only addresses the allowlist lets it connect
 * to, so the check is on the address the socket really uses: a name that resolves (or,
 * next time, re-resolves) to a private address is refused, and so is an IP literal, which
 * Netty would otherwise connect to without asking the resolver. Resolution itself is the
 * non-blocking DNS resolver of Reactor Netty, on the event loop.
 */
final class GuardedResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final AddressResolverGroup<InetSocketAddress> delegate;

	private final HostAllowlist allowlist;

	GuardedResolverGroup(AddressResolverGroup<InetSocketAddress> delegate, HostAllowlist allowlist) {
		this.delegate = delegate;
		this.allowlist = allowlist;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new GuardedResolver(executor, this.delegate.getResolver(executor), this.allowlist);
	}

	@Override
	public void close() {
		super.close();
		this.delegate.close();
	}

	private static final class GuardedResolver extends AbstractAddressResolver<InetSocketAddress> {

		private final AddressResolver<InetSocketAddress> delegate;

		private final HostAllowlist allowlist;

		GuardedResolver(EventExecutor executor, AddressResolver<InetSocketAddress> delegate, HostAllowlist allowlist) {
			super(executor, InetSocketAddress.class);
			this.delegate = delegate;
			this.allowlist = allowlist;
		}

		@Override
		protected boolean doIsResolved(InetSocketAddress address) {
			// never: a resolved address must come through doResolveAll to be checked
			return false;
		}

		@Override
		protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
			resolveAll(unresolved).addListener((Future<List<InetSocketAddress>> all) -> {
				if (all.isSuccess()) {
					promise.trySuccess(all.getNow().get(0));
				}
				else {
					promise.tryFailure(all.cause());
				}
			});
		}

		@Override
		protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
			if (!unresolved.isUnresolved()) {
				try {
					promise.trySuccess(permitted(unresolved.getHostString(), List.of(unresolved)));
				}
				catch (OutboundException ex) {
					promise.tryFailure(ex);
				}
				return;
			}
			this.delegate.resolveAll(unresolved).addListener((Future<List<InetSocketAddress>> resolved) -> {
				if (!resolved.isSuccess()) {
					promise.tryFailure(resolved.cause());
					return;
				}
				try {
					promise.trySuccess(permitted(unresolved.getHostString(), resolved.getNow()));
				}
				catch (OutboundException ex) {
					promise.tryFailure(ex);
				}
			});
		}

		private List<InetSocketAddress> permitted(String host, List<InetSocketAddress> addresses) {
			List<InetSocketAddress> permitted = new ArrayList<>();
			String refusal = null;
			for (InetSocketAddress address : addresses) {
				String why = this.allowlist.refusal(address.getAddress(), address.getPort());
				if (why == null) {
					permitted.add(address);
				}
				else if (refusal == null) {
					refusal = why;
				}
			}
			if (permitted.isEmpty()) {
				throw OutboundException.refused(
						"refused to connect to " + host + ": " + ((refusal != null) ? refusal : "it has no address"));
			}
			return permitted;
		}

		@Override
		public void close() {
			// the delegate belongs to the delegate group, which closes it
		}

	}

}
