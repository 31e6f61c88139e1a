package io.llmspell.lua;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Promises keep JavaScript's semantics, with {@code next} for {@code then}. */
class PromiseTests {

	private final LuaRunFixture fixture = new LuaRunFixture();

	@Test
	void chainsCarryHandlerValuesAndAdoptReturnedPromises() {
		RunOutcome outcome = fixture.run("""
				local v = promise.resolve(1)
				  :next(function(x) return x + 1 end)
				  :next(function(x) return promise.new(function(res) res(x * 10) end) end)
				  :next(function(x) return llm.chat_promise("n=" .. x) end)
				  :await()
				return v
				""");
		assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo("ok");
		assertThat((String) outcome.result()).startsWith("Mock answer to \"n=20\"");
	}

	@Test
	void handlersRunLaterNeverInsideResolve() {
		RunOutcome outcome = fixture.run("""
				local order = {}
				local p = promise.new(function(resolve) resolve("v") order[#order + 1] = "after resolve" end)
				p:next(function() order[#order + 1] = "handler" end)
				order[#order + 1] = "sync end"
				async.wait_all()
				return order
				""");
		assertThat(outcome.result()).isEqualTo(List.of("after resolve", "sync end", "handler"));
	}

	@Test
	void catchOnAPendingPromiseAndErrorsInHandlersReject() {
		RunOutcome outcome = fixture
			.run("""
					local p = llm.chat_promise("x [fail]")
					local caught = p:catch(function(e) return "caught: " .. e end):await()
					local thrown, err = promise.resolve(1):next(function() error("in handler") end):await()
					local recovered = promise.reject("r"):catch(function(e) return e .. "!" end):finally(function() print("finally") end):await()
					return { caught = caught, thrown = tostring(thrown), err = err, recovered = recovered, state = p:state() }
					""");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) outcome.result();
		assertThat(result).containsEntry("caught", "caught: mock: 500 simulated failure ([fail] in the prompt)")
			.containsEntry("thrown", "nil")
			.containsEntry("recovered", "r!")
			.containsEntry("state", "rejected");
		assertThat((String) result.get("err")).endsWith("in handler");
		assertThat(fixture.output()).containsExactly("finally");
	}

	@Test
	void allRejectsOnTheFirstFailure() {
		RunOutcome outcome = fixture
			.run("""
					local v, err = promise.all({ llm.chat_promise("slow [delay=600]"), llm.chat_promise("bad [delay=50] [fail]") }):await()
					print("settled")
					return { v = tostring(v), err = err }
					""");
		assertThat(outcome.result())
			.isEqualTo(Map.of("v", "nil", "err", "mock: 500 simulated failure ([fail] in the prompt)"));
		// settled after the failure, before the slow call came back (the run then waits
		// for it)
		assertThat(fixture.eventNames()).containsExactly("callback", "output", "callback");
	}

	@Test
	void raceAnyAndAllSettled() {
		RunOutcome outcome = fixture
			.run("""
					local race = promise.race({ llm.chat_promise("slow [delay=300]"), llm.chat_promise("quick [delay=20]") }):await()
					local any = promise.any({ llm.chat_promise("bad [fail] [delay=10]"), llm.chat_promise("good [delay=60]") }):await()
					local none, none_err = promise.any({ promise.reject("a"), promise.reject("b") }):await()
					local settled = promise.all_settled({ promise.resolve(1), promise.reject("no") }):await()
					return { race = race, any = any, none_err = none_err,
					         s1 = settled[1].status .. ":" .. settled[1].value, s2 = settled[2].status .. ":" .. settled[2].reason }
					""");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) outcome.result();
		assertThat((String) result.get("race")).startsWith("Mock answer to \"quick");
		assertThat((String) result.get("any")).startsWith("Mock answer to \"good");
		assertThat(result).containsEntry("none_err", "all promises were rejected: a; b")
			.containsEntry("s1", "fulfilled:1")
			.containsEntry("s2", "rejected:no");
	}

	@Test
	void awaitWithATimeout() {
		RunOutcome outcome = fixture.run("""
				local p = llm.chat_promise("slow [delay=600]")
				local v, err = p:await(0.1)
				print(err, p:state())
				""");
		assertThat(fixture.output()).containsExactly("timeout\tpending");
		assertThat(fixture.eventNames()).containsExactly("output", "callback");
	}

	@Test
	void executorsMayYieldAndErrorsInExecutorsReject() {
		RunOutcome outcome = fixture.run("""
				local ticks = 0
				local p = promise.new(function(resolve)
				  while ticks < 3 do ticks = ticks + 1; coroutine.yield() end
				  resolve(ticks)
				end)
				local bad = promise.new(function() error("executor failed") end)
				local _, err = bad:await()
				return { value = p:await(), err = err }
				""");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) outcome.result();
		assertThat(result.get("value")).isEqualTo(3L);
		assertThat((String) result.get("err")).contains("executor failed");
	}

	@Test
	void awaitingAPromiseThatCanNeverSettleDoesNotHang() {
		RunOutcome outcome = fixture.run("""
				local v, err = promise.new(function() end):await()
				return err
				""");
		assertThat((String) outcome.result()).startsWith("deadlock");
	}

	@Test
	void unhandledRejectionsAreReportedAsWarnings() {
		RunOutcome outcome = fixture.run("""
				promise.reject("nobody listens")
				promise.reject("handled"):catch(function() end)
				""");
		assertThat(outcome.status()).isEqualTo("ok");
		assertThat(fixture.events("log")).hasSize(1);
		assertThat(fixture.events("log").get(0)).containsEntry("level", "warn")
			.containsEntry("message", "unhandled promise rejection: nobody listens");
	}

	@Test
	void fulfilledValuesPassThroughCatchAndNextWithoutOnOk() {
		RunOutcome outcome = fixture.run("""
				local called = {}
				local a = promise.resolve(5):catch(function(v) called[#called + 1] = "catch " .. v end):await()
				local b = promise.resolve(6):next(nil, function(v) called[#called + 1] = "on_err " .. v end):await()
				local c = promise.resolve(7):next(nil, nil):next(function(v) return v * 2 end):await()
				local _, d = promise.reject("no"):next(function() called[#called + 1] = "on_ok" end):await()
				return { a = a, b = b, c = c, d = d, called = #called }
				""");
		assertThat(outcome.result()).isEqualTo(Map.of("a", 5L, "b", 6L, "c", 14L, "d", "no", "called", 0L));
	}

	@Test
	void awaitInsideAPlainCoroutine() {
		RunOutcome outcome = fixture
			.run("""
					local co = coroutine.create(function(prompt)
					  local answer = llm.chat_promise(prompt):await()
					  local timer = promise.new(function(res) async.set_timeout(0.05, function() res("timer") end) end)
					  return answer, timer:await()
					end)
					local ok, answer, timer = coroutine.resume(co, "in a coroutine")
					local wrapped = coroutine.wrap(function() return promise.resolve(1):next(function(v) return v + 1 end):await() end)
					return { ok = ok, answer = answer, timer = timer, status = coroutine.status(co), wrapped = wrapped() }
					""");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) outcome.result();
		assertThat(result).as(String.valueOf(outcome.error()))
			.containsEntry("ok", true)
			.containsEntry("timer", "timer")
			.containsEntry("status", "dead")
			.containsEntry("wrapped", 2L);
		assertThat((String) result.get("answer")).startsWith("Mock answer to \"in a coroutine\"");
	}

	@Test
	void awaitInsideAnExecutorStillYieldsToTheLoop() {
		RunOutcome outcome = fixture.run("""
				local order = {}
				local p = promise.new(function(res)
				  local v = llm.chat_promise("inner"):await()
				  order[#order + 1] = "executor got it"
				  res(v)
				end)
				order[#order + 1] = "main goes on"
				local v = p:await()
				return { first = order[1], second = order[2], v = v }
				""");
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) outcome.result();
		assertThat(result).containsEntry("first", "main goes on").containsEntry("second", "executor got it");
		assertThat((String) result.get("v")).startsWith("Mock answer to \"inner\"");
	}

}
