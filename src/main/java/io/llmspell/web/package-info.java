/**
 * The HTTP API: the spell catalog, runs over SSE, NDJSON or JSON, the runs resource for
 * clients that reconnect, RFC 9457 problems for every error before a run starts, and
 * optional API-key authentication.
 */
package io.llmspell.web;
