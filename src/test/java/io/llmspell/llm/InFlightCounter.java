package io.llmspell.llm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock extension that observes, on the server side:
 * <ul>
 * <li>{@link #arrived()}: requests received;
 * <li>{@link #completed()}: responses written completely (WireMock skips
 * {@code afterComplete} when the client closed the connection before the response could
 * be written);
 * <li>{@link #inFlight()} and {@link #max()}: requests being worked on at once, for stubs
 * with the transformer parameter {@code holdMs}, which makes the server take that long to
 * answer. The count covers the time from arrival to the end of the hold, so it is never
 * more than the number of requests the client really has open.
 * </ul>
 */
public class InFlightCounter implements ServeEventListener, ResponseTransformerV2 {

	public static final String HOLD_MS = "holdMs";

	private final AtomicInteger arrived = new AtomicInteger();

	private final AtomicInteger completed = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger max = new AtomicInteger();

	@Override
	public String getName() {
		return "in-flight-counter";
	}

	@Override
	public boolean applyGlobally() {
		return true;
	}

	@Override
	public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
		arrived.incrementAndGet();
	}

	@Override
	public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
		completed.incrementAndGet();
	}

	@Override
	public Response transform(Response response, ServeEvent serveEvent) {
		Parameters parameters = serveEvent.getTransformerParameters();
		if (parameters == null || !parameters.containsKey(HOLD_MS)) {
			return response;
		}
		int now = inFlight.incrementAndGet();
		max.accumulateAndGet(now, Math::max);
		try {
			// the simulated upstream latency, on WireMock's request thread
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(parameters.getInt(HOLD_MS)));
			return response;
		}
		finally {
			inFlight.decrementAndGet();
		}
	}

	public int arrived() {
		return arrived.get();
	}

	public int completed() {
		return completed.get();
	}

	public int inFlight() {
		return inFlight.get();
	}

	public int max() {
		return max.get();
	}

	public void reset() {
		arrived.set(0);
		completed.set(0);
		inFlight.set(0);
		max.set(0);
	}

}
