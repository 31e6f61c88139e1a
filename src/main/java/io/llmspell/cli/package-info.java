/**
 * The command line: {@code llmspell run <spell> --param k=v}, {@code llmspell list}.
 */
package io.llmspell.cli;
