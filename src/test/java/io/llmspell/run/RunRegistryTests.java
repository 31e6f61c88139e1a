package io.llmspell.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.llmspell.lua.RunOutcome;
import io.llmspell.spell.Spell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Retention by count and by time, on a clock the test moves. */
class RunRegistryTests {

	private final MovableClock clock = new MovableClock();

	private final RunRegistry registry = new RunRegistry(
			new RunsProperties(Duration.ofMinutes(10), 2, Duration.ofSeconds(30)), clock);

	private final Spell spell = new Spell("s", "1.0.0", "test", null, List.of(), List.of(), Map.of(), null, null,
			"main.lua", null, Map.of());

	private int count;

	@Test
	void keepsAtMostMaxRetainedFinishedRunsDroppingTheOldestFirst() {
		SpellRun a = finish(register());
		SpellRun b = finish(register());
		SpellRun c = finish(register());

		assertThat(registry.find(a.id())).isEmpty();
		assertThat(registry.find(b.id())).contains(b);
		assertThat(registry.find(c.id())).contains(c);
		assertThat(registry.retainedCount()).isEqualTo(2);
	}

	@Test
	void runningRunsAreNeverEvictedHoweverManyOrOld() {
		SpellRun running = register();
		for (int i = 0; i < 5; i++) {
			finish(register());
		}
		clock.advance(Duration.ofHours(5));
		registry.evict();

		assertThat(registry.find(running.id())).contains(running);
		assertThat(registry.retainedCount()).isZero();
	}

	@Test
	void finishedRunsExpireAfterRetentionTimeCountedFromWhenTheyFinished() {
		SpellRun early = finish(register());
		clock.advance(Duration.ofMinutes(6));
		SpellRun late = finish(register());
		clock.advance(Duration.ofMinutes(4).minusMillis(1));
		assertThat(registry.find(early.id())).contains(early);

		clock.advance(Duration.ofMillis(1));
		// find hides it even before a pass drops it
		assertThat(registry.find(early.id())).isEmpty();
		assertThat(registry.find(late.id())).contains(late);
		assertThat(registry.retainedCount()).isEqualTo(1);

		clock.advance(Duration.ofMinutes(6));
		registry.evict();
		assertThat(registry.retainedCount()).isZero();
		assertThatExceptionOfType(UnknownRunException.class).isThrownBy(() -> registry.get(late.id()))
			.satisfies((ex) -> assertThat(ex.runId()).isEqualTo(late.id()));
	}

	@Test
	void registeringARunEvictsExpiredOnes() {
		SpellRun old = finish(register());
		clock.advance(Duration.ofMinutes(11));
		assertThat(registry.retainedCount()).isEqualTo(1);

		register();

		assertThat(registry.retainedCount()).isZero();
		assertThat(registry.find(old.id())).isEmpty();
	}

	@Test
	void zeroMaxRetainedForgetsRunsAsTheyFinish() {
		RunRegistry forgetful = new RunRegistry(new RunsProperties(Duration.ofMinutes(10), 0, Duration.ofSeconds(30)),
				clock);
		SpellRun run = new SpellRun("only", spell, Map.of(), null, "mock", "m", true);
		forgetful.register(run);
		assertThat(forgetful.find("only")).contains(run);

		run.finished(RunOutcome.failed("cancelled", null));
		forgetful.finished(run);

		assertThat(forgetful.find("only")).isEmpty();
	}

	@Test
	void finishedRunsTakeAtMostMaxRetainedBytesDroppingTheOldestFirst() {
		RunRegistry bounded = new RunRegistry(new RunsProperties(Duration.ofMinutes(10), 1000, Duration.ofSeconds(30),
				org.springframework.util.unit.DataSize.ofKilobytes(250)), clock);
		List<SpellRun> runs = new java.util.ArrayList<>();
		for (int i = 0; i < 4; i++) {
			SpellRun run = new SpellRun("big-" + i, spell, Map.of(), null, "mock", "m", true);
			bounded.register(run);
			run.emit("output", Map.of("text", "x".repeat(100_000)));
			run.finished(RunOutcome.failed("cancelled", null));
			bounded.finished(run);
			runs.add(run);
		}

		// about 100 KB each: the two newest fit in 250 KB
		assertThat(bounded.find("big-0")).isEmpty();
		assertThat(bounded.find("big-1")).isEmpty();
		assertThat(bounded.find("big-2")).contains(runs.get(2));
		assertThat(bounded.find("big-3")).contains(runs.get(3));
		assertThat(bounded.retainedBytes()).isBetween(200_000L, 250L * 1024);
	}

	private SpellRun register() {
		SpellRun run = new SpellRun("run-" + (++count), spell, Map.of(), null, "mock", "m", true);
		registry.register(run);
		return run;
	}

	private SpellRun finish(SpellRun run) {
		run.finished(RunOutcome.failed("cancelled", null));
		registry.finished(run);
		return run;
	}

	private static final class MovableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
