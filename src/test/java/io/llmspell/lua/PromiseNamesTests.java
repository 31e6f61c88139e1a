package io.llmspell.lua;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * go-llmspell's remaining names: promise.async, promise.await_all, async.create_callback.
 */
class PromiseNamesTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	private List<String> run(String source) {
		RunOutcome outcome = fixture.run(source);
		assertThat(outcome.status()).as("%s", outcome.error()).isEqualTo("ok");
		return fixture.output();
	}

	@Test
	void promiseAsyncRunsAFunctionInACoroutineThatMayAwait() {
		assertThat(run("""
				local p = promise.async(function(a, b)
				  local answer = llm.chat_promise('hi'):await()
				  return a + b, answer ~= nil
				end, 1, 2)
				print(p:state())
				print(p:await())
				local failed = promise.async(function() error('boom') end)
				local value, err = failed:await()
				print(value, err:match('boom$'))
				""")).containsExactly("pending", "3", "nil\tboom");
	}

	@Test
	void awaitAllGivesTheValuesOrTheFirstRejection() {
		assertThat(run("""
				local values = promise.await_all({ promise.resolve(1), llm.chat_promise('x'), 3 })
				print(#values, values[1], type(values[2]), values[3])
				print(promise.await_all({ promise.resolve(1), promise.reject('no') }))
				local timer
				local late = promise.new(function(resolve) timer = async.set_timeout(5, resolve) end)
				print(promise.await_all({ late }, 0.05))
				async.clear_timeout(timer)
				print(#promise.await_all({}))
				""")).containsExactly("3\t1\tstring\t3", "nil\tno", "nil\ttimeout", "0");
	}

	@Test
	void aCreatedCallbackRunsWhenCompletedAndKeepsTheLoopWaiting() {
		assertThat(run("""
				local id = async.create_callback(function(a, b) print('called', a, b) end)
				print(type(id), async.pending_count())
				async.set_timeout(0.05, function() print('complete', async.complete_callback(id, 'x', 2)) end)
				print('main done')
				""")).containsExactly("number\t1", "main done", "complete\ttrue", "called\tx\t2");
	}

	@Test
	void aCreatedCallbackCanBeCancelledAndCompletesOnlyOnce() {
		assertThat(run("""
				local id = async.create_callback(function() print('never') end)
				print(async.cancel(id), async.pending_count(), async.complete_callback(id))
				local other = async.create_callback(function() print('once') end)
				print(async.complete_callback(other), async.complete_callback(other))
				async.wait_all()
				""")).containsExactly("true\t0\tfalse", "true\tfalse", "once");
	}

}
