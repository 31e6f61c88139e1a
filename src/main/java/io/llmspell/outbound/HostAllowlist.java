package io.llmspell.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * The operator's {@code llmspell.http.allow}, and the two questions asked of it: may a
 * spell address this host (before anything is looked up), and may the connection go to
 * this address (after the name is resolved, on the address the socket will use). An
 * address that is not public (loopback, private, link-local with the cloud metadata
 * endpoint, unique-local, carrier-grade NAT, multicast, unspecified) passes only where an
 * entry names that very address.
 */
final class HostAllowlist {

	private final List<HostPattern> patterns;

	HostAllowlist(List<String> entries) {
		this.patterns = entries.stream().map(HostPattern::parse).toList();
	}

	boolean isEmpty() {
		return this.patterns.isEmpty();
	}

	boolean permitsHost(String host, int port) {
		return this.patterns.stream().anyMatch((pattern) -> pattern.matchesHost(host, port));
	}

	/** Null if the address may be connected to, else why not. */
	String refusal(InetAddress address, int port) {
		String kind = nonPublicKind(address);
		if (kind == null) {
			return null;
		}
		if (this.patterns.stream().anyMatch((pattern) -> pattern.matchesAddress(address, port))) {
			return null;
		}
		return address.getHostAddress() + " is " + kind + " address (allow it by that address: llmspell.http.allow: "
				+ ((address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
				+ ":" + port + ")";
	}

	/** What kind of non-public address this is ("a loopback", ...), or null. */
	static String nonPublicKind(InetAddress address) {
		if (address.isLoopbackAddress()) {
			return "a loopback";
		}
		if (address.isAnyLocalAddress()) {
			return "an unspecified";
		}
		if (address.isLinkLocalAddress()) {
			return "a link-local (cloud metadata)";
		}
		if (address.isSiteLocalAddress()) {
			return "a private";
		}
		if (address.isMulticastAddress()) {
			return "a multicast";
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			if (first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240
					|| (first == 192 && second == 0 && (bytes[2] & 0xff) == 0)
					|| (first == 198 && (second == 18 || second == 19))) {
				return "a reserved";
			}
		}
		else {
			if ((bytes[0] & 0xfe) == 0xfc) {
				return "a private (unique-local)";
			}
			if ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
				return "a private (site-local)";
			}
			if (isMappedOrTranslated(bytes)) {
				return "an IPv4-embedding";
			}
		}
		return null;
	}

	/**
	 * IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) and 6to4
	 * ({@code 2002::/16}) addresses carry an IPv4 address that may be private; refused
	 * rather than decoded.
	 */
	private static boolean isMappedOrTranslated(byte[] bytes) {
		boolean zeroPrefix = true;
		for (int i = 0; i < 12; i++) {
			zeroPrefix &= bytes[i] == 0;
		}
		boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
				&& (bytes[3] & 0xff) == 0x9b;
		boolean sixToFour = (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02;
		return zeroPrefix || nat64 || sixToFour;
	}

}
