package io.llmspell.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Ends runs cleanly when the service stops. It stops before the web server begins its
 * graceful shutdown, so while it waits the server still answers: readiness is DOWN, new
 * runs get 503 with {@code Retry-After}, and running ones get
 * {@code llmspell.shutdown.grace-period} to finish. Those still going are then cancelled:
 * each ends with {@code done} status {@code cancelled}, its stream completes, and the
 * graceful shutdown that follows finds no stream left open.
 */
@Component
class RunDrain implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RunDrain.class);

	static final String REASON = "the server is shutting down";

	private final RunService runs;

	private final ShutdownProperties shutdown;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	RunDrain(RunService runs, ShutdownProperties shutdown, ApplicationEventPublisher events) {
		this.runs = runs;
		this.shutdown = shutdown;
		this.events = events;
	}

	private volatile boolean stoppedBefore;

	@Override
	public void start() {
		if (stoppedBefore) {
			// a stopped context that starts again (not a shutdown): serve again
			runs.acceptNewRuns();
			AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		stoppedBefore = true;
		// Load balancers stop sending traffic; requests already on their way get a 503,
		// not a reset.
		AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
		runs.refuseNewRuns();
		try {
			int unfinished = runs.unfinishedCount();
			if (unfinished > 0) {
				log.info("Shutting down: waiting up to {} for {} run(s) to finish", shutdown.gracePeriod(), unfinished);
			}
			if (!runs.awaitIdle(shutdown.gracePeriod())) {
				int cancelled = runs.cancelAll(REASON);
				log.info("Shutting down: cancelled {} run(s) still going after the grace period", cancelled);
				if (!runs.awaitIdle(shutdown.cancelWait())) {
					log.warn("Shutting down: {} run(s) did not end within {} of being cancelled",
							runs.unfinishedCount(), shutdown.cancelWait());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			runs.cancelAll(REASON);
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/**
	 * Stops before the web server's graceful shutdown, which then only waits for streams
	 * already ending.
	 */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512;
	}

}
