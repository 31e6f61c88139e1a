package io.llmspell.store;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link StorageBackend} does, whatever keeps its data. A backend's test class
 * extends this and gives {@link #backend(StoreQuota)}: a backend with that quota over an
 * empty store.
 */
abstract class StorageBackendContract {

	static final StoreQuota ROOMY = new StoreQuota(64, 10_000, 1_000, 1_000_000);

	/** A backend over an empty store, with these bounds. */
	abstract StorageBackend backend(StoreQuota quota);

	@Test
	void setThenGetExistsListDelete() {
		StorageBackend store = backend(ROOMY);
		store.set("a", "user:1", "{\"n\":1}", null).block();
		store.set("a", "user:2", "2", null).block();
		store.set("a", "other", "\"x\"", null).block();
		assertThat(store.get("a", "user:1").block()).isEqualTo("{\"n\":1}");
		assertThat(store.get("a", "missing").block()).isNull();
		assertThat(store.exists("a", "user:2").block()).isTrue();
		assertThat(store.exists("a", "missing").block()).isFalse();
		assertThat(store.list("a", "user:").collectList().block()).containsExactly("user:1", "user:2");
		assertThat(store.list("a", "").collectList().block()).containsExactly("other", "user:1", "user:2");
		assertThat(store.delete("a", "user:1").block()).isTrue();
		assertThat(store.delete("a", "user:1").block()).isFalse();
		assertThat(store.get("a", "user:1").block()).isNull();
	}

	@Test
	void namespacesAreDisjoint() {
		StorageBackend store = backend(ROOMY);
		store.set("a:b", "c", "1", null).block();
		store.set("a", "b:c", "2", null).block();
		assertThat(store.get("a:b", "c").block()).isEqualTo("1");
		assertThat(store.get("a", "b:c").block()).isEqualTo("2");
		assertThat(store.get("other", "c").block()).isNull();
		assertThat(store.list("a", "").collectList().block()).containsExactly("b:c");
		assertThat(store.list("a:b", "").collectList().block()).containsExactly("c");
		assertThat(store.list("other", "").collectList().block()).isEmpty();
	}

	@Test
	void blobsAreASpaceOfTheirOwn() {
		StorageBackend store = backend(ROOMY);
		store.write("a", "notes", "some text").block();
		store.set("a", "notes", "1", null).block();
		assertThat(store.read("a", "notes").block()).isEqualTo("some text");
		assertThat(store.get("a", "notes").block()).isEqualTo("1");
		assertThat(store.read("b", "notes").block()).isNull();
		assertThat(store.list("a", "").collectList().block()).containsExactly("notes");
		assertThat(store.deleteBlob("a", "notes").block()).isTrue();
		assertThat(store.read("a", "notes").block()).isNull();
		assertThat(store.get("a", "notes").block()).isEqualTo("1");
	}

	@Test
	void usageCountsKeysAndValuesReplacingCountsTheDifference() {
		StorageBackend store = backend(ROOMY);
		store.set("a", "k", "12345", null).block();
		store.write("a", "blob", "abc").block();
		assertThat(store.usage("a").block()).isEqualTo(new StoreUsage(2, 6 + 7));
		store.set("a", "k", "1", null).block();
		assertThat(store.usage("a").block()).isEqualTo(new StoreUsage(2, 2 + 7));
		store.delete("a", "k").block();
		assertThat(store.usage("a").block()).isEqualTo(new StoreUsage(1, 7));
		assertThat(store.usage("b").block()).isEqualTo(StoreUsage.EMPTY);
	}

	@Test
	void aValueOrKeyTooLargeIsRefusedAndChangesNothing() {
		StorageBackend store = backend(new StoreQuota(8, 10, 100, 1000));
		assertThatExceptionOfType(StoreQuotaException.class)
			.isThrownBy(() -> store.set("a", "k", "x".repeat(11), null).block())
			.withMessageContaining("limit is 10 bytes");
		assertThatExceptionOfType(StoreQuotaException.class)
			.isThrownBy(() -> store.write("a", "k", "x".repeat(11)).block());
		assertThatExceptionOfType(StoreQuotaException.class)
			.isThrownBy(() -> store.set("a", "k".repeat(9), "1", null).block());
		assertThatExceptionOfType(StoreQuotaException.class).isThrownBy(() -> store.set("a", "", "1", null).block());
		assertThat(store.usage("a").block()).isEqualTo(StoreUsage.EMPTY);
	}

	@Test
	void theEntryCountAndTotalBytesHold() {
		StorageBackend store = backend(new StoreQuota(8, 100, 3, 30));
		store.set("a", "k1", "1", null).block();
		store.set("a", "k2", "1", null).block();
		store.write("a", "k3", "1").block();
		assertThatExceptionOfType(StoreQuotaException.class).isThrownBy(() -> store.set("a", "k4", "1", null).block())
			.withMessageContaining("limit is 3");
		// replacing is no new entry; another spell has its own room
		store.set("a", "k1", "2", null).block();
		store.set("b", "k4", "1", null).block();
		assertThatExceptionOfType(StoreQuotaException.class)
			.isThrownBy(() -> store.set("a", "k1", "x".repeat(30), null).block())
			.withMessageContaining("limit is 30 bytes");
		assertThat(store.get("a", "k1").block()).isEqualTo("2");
		assertThat(store.usage("a").block()).isEqualTo(new StoreUsage(3, 9));
	}

	@Test
	void anEntryExpiresAfterItsTimeToLiveAndReleasesItsRoom() {
		StorageBackend store = backend(new StoreQuota(8, 100, 2, 1000));
		store.set("a", "short", "1", Duration.ofMillis(200)).block();
		store.set("a", "long", "1", Duration.ofHours(1)).block();
		assertThat(store.get("a", "short").block()).isEqualTo("1");
		await().atMost(Duration.ofSeconds(10)).until(() -> store.get("a", "short").block() == null);
		assertThat(store.exists("a", "short").block()).isFalse();
		assertThat(store.list("a", "").collectList().block()).containsExactly("long");
		// the expired entry no longer takes one of the two places
		store.set("a", "third", "1", null).block();
		assertThat(store.get("a", "long").block()).isEqualTo("1");
	}

	@Test
	void concurrentWritersLoseNoWrite() {
		StorageBackend store = backend(new StoreQuota(16, 100, 10_000, 1_000_000));
		List<String> keys = IntStream.range(0, 400).mapToObj((i) -> "k" + i).toList();
		Flux.fromIterable(keys)
			.flatMap((key) -> store.set("a", key, "1", null), 32)
			.then()
			.block(Duration.ofSeconds(60));
		assertThat(store.list("a", "").collectList().block()).hasSize(400);
		long bytes = keys.stream().mapToLong((key) -> StoreQuota.sizeOf(key, "1")).sum();
		assertThat(store.usage("a").block()).isEqualTo(new StoreUsage(400, bytes));
	}

	@Test
	void concurrentWritersNeverOvershootTheQuota() {
		StorageBackend store = backend(new StoreQuota(16, 100, 50, 1_000_000));
		long refused = Flux.range(0, 200)
			.flatMap((i) -> store.set("a", "k" + i, "1", null).thenReturn(false).onErrorReturn(true), 32)
			.filter((failed) -> failed)
			.count()
			.block(Duration.ofSeconds(60));
		assertThat(refused).isEqualTo(150);
		assertThat(store.list("a", "").collectList().block()).hasSize(50);
	}

}
