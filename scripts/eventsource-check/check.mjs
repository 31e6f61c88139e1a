#!/usr/bin/env node
// Consumes a run's events with an EventSource, as a browser would, until the `done` event.
//
//   node check.mjs <events-url>                 e.g. http://localhost:8080/runs/<id>/events
//   node check.mjs <base-url> <run-id>          e.g. http://localhost:8080 <id>
//   options: --expect-status ok   fail unless `done` has this status
//            --drop-after K       cut the first connection after K events; the EventSource must
//                                 reconnect by itself (with Last-Event-ID) and miss nothing
//            --timeout SECONDS    give up after this long (default 30)
//
// Prints one JSON line to stdout: {ok, status, events, ids, reconnects, reconnectDelayMs, problems};
// reconnectDelayMs shows that the server's `retry:` field was obeyed (the library's own default is 3 s).
// Exit status: 0 when `done` arrived, ids ran 1, 2, 3, ... with no gap or repeat, `start` came
// first and the status was as expected; 1 otherwise.
import { EventSource } from 'eventsource'

const EVENTS = ['start', 'output', 'chunk', 'callback', 'log', 'error', 'done']

function parseArgs(argv) {
	const options = { expectStatus: null, dropAfter: 0, timeout: 30 }
	const positional = []
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]
		if (arg === '--expect-status') options.expectStatus = argv[++i]
		else if (arg === '--drop-after') options.dropAfter = Number(argv[++i])
		else if (arg === '--timeout') options.timeout = Number(argv[++i])
		else positional.push(arg)
	}
	if (positional.length === 1) options.url = positional[0]
	else if (positional.length === 2) options.url = `${positional[0].replace(/\/$/, '')}/runs/${encodeURIComponent(positional[1])}/events`
	else {
		console.error('usage: node check.mjs <events-url> | <base-url> <run-id> [--expect-status S] [--drop-after K] [--timeout SECONDS]')
		process.exit(1)
	}
	return options
}

// A fetch whose first response body ends after `count` events, as a dropped connection would.
function droppingFetch(count) {
	let connections = 0
	return async (url, init) => {
		const response = await fetch(url, init)
		if (++connections > 1 || count <= 0 || !response.body) return response
		const reader = response.body.getReader()
		const decoder = new TextDecoder()
		const encoder = new TextEncoder()
		let buffered = ''
		let passed = 0
		const body = new ReadableStream({
			async pull(controller) {
				const { done, value } = await reader.read()
				if (done) return controller.close()
				buffered += decoder.decode(value, { stream: true })
				let end
				while ((end = buffered.search(/\r?\n\r?\n/)) >= 0) {
					const block = buffered.slice(0, end).trim()
					buffered = buffered.slice(end).replace(/^\r?\n\r?\n/, '')
					controller.enqueue(encoder.encode(block + '\n\n'))
					if (/^id:/m.test(block) && ++passed >= count) {
						console.error(`check: dropping the connection after ${passed} events`)
						droppedAt = Date.now()
						await reader.cancel()
						return controller.close()
					}
				}
			},
			cancel: () => reader.cancel(),
		})
		return new Response(body, { status: response.status, headers: response.headers })
	}
}

const options = parseArgs(process.argv.slice(2))
const received = []
const problems = []
let opens = 0
let droppedAt = null
let reconnectDelayMs = null

const source = new EventSource(options.url, options.dropAfter > 0 ? { fetch: droppingFetch(options.dropAfter) } : undefined)

function finish(status) {
	source.close()
	clearTimeout(timer)
	const ids = received.map((event) => event.id)
	ids.forEach((id, index) => {
		if (id !== index + 1) problems.push(`event #${index + 1} has id ${id}`)
	})
	if (received.length > 0 && received[0].type !== 'start') problems.push(`first event is '${received[0].type}', not 'start'`)
	if (status === null) problems.push('no done event')
	if (options.expectStatus && status !== options.expectStatus) problems.push(`done status '${status}', expected '${options.expectStatus}'`)
	const ok = problems.length === 0
	console.log(JSON.stringify({ ok, status, events: received.length, ids, reconnects: Math.max(0, opens - 1), reconnectDelayMs, problems }))
	process.exit(ok ? 0 : 1)
}

const timer = setTimeout(() => {
	problems.push(`timed out after ${options.timeout} s`)
	finish(null)
}, options.timeout * 1000)

source.addEventListener('open', () => {
	opens++
	if (opens > 1 && droppedAt !== null && reconnectDelayMs === null) reconnectDelayMs = Date.now() - droppedAt
	console.error(`check: connected to ${options.url}${opens > 1 ? ' again' : ''}`)
})

for (const type of EVENTS) {
	source.addEventListener(type, (event) => {
		// the run's `error` events and connection errors share a name; only the former carry data
		if (type === 'error' && typeof event.data !== 'string') {
			console.error(`check: connection error${event.message ? `: ${event.message}` : ''}${event.code ? ` (${event.code})` : ''}`)
			if (source.readyState === EventSource.CLOSED) {
				problems.push(`the EventSource gave up${event.code ? ` (HTTP ${event.code})` : ''}`)
				finish(null)
			}
			return
		}
		const data = JSON.parse(event.data)
		received.push({ id: Number(event.lastEventId), type, data })
		console.error(`check: ${event.lastEventId} ${type} ${event.data}`)
		if (type === 'done') finish(data.status)
	})
}
