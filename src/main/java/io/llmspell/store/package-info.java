/**
 * The {@code storage} module's backends: the {@link io.llmspell.store.StorageBackend}
 * contract (one namespace per spell, quotas enforced by each backend atomically with the
 * write), and the embedded file-backed default, {@link io.llmspell.store.MvStoreBackend}.
 */
package io.llmspell.store;
