/**
 * The spell catalog: spells loaded from {@code llmspell.spells.dir} (one folder per
 * spell, its {@code spell.yaml}, Lua code compiled once, optional {@code README.md}),
 * kept fresh without a restart, and the binding of a request's parameters to a spell's
 * declared ones.
 */
package io.llmspell.spell;
