package io.llmspell.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

import io.llmspell.run.HeapGuard;
import io.llmspell.run.RunRegistry;
import io.llmspell.run.SpellRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Under heap pressure the run that holds the most is stopped, and only that one. */
class HeapGuardTests extends ServerTests {

	@Autowired
	HeapGuard guard;

	@Autowired
	RunRegistry registry;

	@Test
	void theLargestAllocatorIsStoppedWithMaxMemory() {
		List<ServerSentEvent<Map<String, Object>>> big = new CopyOnWriteArrayList<>();
		List<ServerSentEvent<Map<String, Object>>> small = new CopyOnWriteArrayList<>();
		Disposable bigRun = stream("/spells/hog/run?size=300000", big);
		Disposable smallRun = stream("/spells/hog/run?size=10", small);
		await().atMost(Duration.ofSeconds(20)).until(() -> outputs(big) == 1 && outputs(small) == 1);
		// (runs that other tests left behind in this shared context may be active too)
		await().atMost(Duration.ofSeconds(5))
			.until(() -> registry.active()
				.stream()
				.filter((run) -> run.spell().name().equals("hog"))
				.filter((run) -> run.state() == SpellRun.State.RUNNING)
				.mapToLong(SpellRun::heldBytes)
				.max()
				.orElse(0) > 1_000_000);

		assertThat(guard.relieve())
			.hasValueSatisfying((run) -> assertThat(run.params()).containsEntry("size", 300000L));

		await().atMost(Duration.ofSeconds(5)).until(() -> big.stream().anyMatch((e) -> "done".equals(e.event())));
		Map<String, Object> error = big.stream()
			.filter((e) -> "error".equals(e.event()))
			.findFirst()
			.orElseThrow()
			.data();
		assertThat(error).containsEntry("kind", "limit").containsEntry("limit", "max-memory");
		assertThat((String) error.get("message")).contains("short of memory");
		assertThat(small).noneMatch((e) -> "done".equals(e.event()));
		bigRun.dispose();
		smallRun.dispose();
	}

	@Test
	void aRunThatOnlyMakesGarbageIsNotTheOneStopped() {
		List<ServerSentEvent<Map<String, Object>>> big = new CopyOnWriteArrayList<>();
		List<ServerSentEvent<Map<String, Object>>> churn = new CopyOnWriteArrayList<>();
		Disposable bigRun = stream("/spells/hog/run?size=300000", big);
		Disposable churnRun = stream("/spells/churn/run", churn);
		await().atMost(Duration.ofSeconds(20)).until(() -> outputs(big) == 1 && outputs(churn) == 1);
		// the churning run has allocated more than the holder holds, by now or soon
		await().atMost(Duration.ofSeconds(20)).until(() -> held("churn") > held("hog") && held("hog") > 1_000_000);

		try {
			assertThat(guard.relieve()).hasValueSatisfying((run) -> assertThat(run.spell().name()).isEqualTo("hog"));
			await().atMost(Duration.ofSeconds(5)).until(() -> big.stream().anyMatch((e) -> "done".equals(e.event())));
			assertThat(churn).noneMatch((e) -> "done".equals(e.event()));
		}
		finally {
			bigRun.dispose();
			churnRun.dispose();
		}
	}

	private long held(String spell) {
		return registry.active()
			.stream()
			.filter((run) -> run.spell().name().equals(spell))
			.filter((run) -> run.state() == SpellRun.State.RUNNING)
			.mapToLong(SpellRun::heldBytes)
			.max()
			.orElse(0);
	}

	private Disposable stream(String uri, List<ServerSentEvent<Map<String, Object>>> into) {
		return client.post()
			.uri(uri)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.returnResult(SSE)
			.getResponseBody()
			.subscribe(into::add);
	}

	private static long outputs(List<ServerSentEvent<Map<String, Object>>> events) {
		return events.stream().filter((e) -> "output".equals(e.event())).count();
	}

}
