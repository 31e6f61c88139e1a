/**
 * Fast start: the training run that a class archive (AppCDS, the Java 25 AOT cache) is
 * made from.
 */
package io.llmspell.start;
