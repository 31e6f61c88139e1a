-- async-callbacks: parallel LLM calls from one Lua state.
-- Calls start at once and run concurrently on the Java side; their callbacks run here, on the
-- spell's own thread, whenever the spell processes callbacks (or awaits, or returns).

local mode, n, topic = params.mode, params.calls, params.topic

local function question(i)
  return ("Question %d about %s: give one short fact."):format(i, topic)
end

if mode == "simple" then
  -- The seed's own example, as written.
  llm.chat_async("Question 1", function(result) print("Got result 1:", result) end)
  llm.chat_async("Question 2", function(result) print("Got result 2:", result) end)
  while llm.has_pending() do llm.process_callbacks() end
  return { mode = mode, calls = 2 }

elseif mode == "parallel" then
  local answers = {}
  for i = 1, n do
    llm.chat_async(question(i),
      function(text, info)
        answers[i] = text
        print(("[%d] %s (%d ms)"):format(i, text, info.elapsed_ms))
      end,
      function(err) print(("[%d] failed: %s"):format(i, err)) end)
  end
  print(("started %d calls; %d pending"):format(n, llm.pending_count()))
  while llm.has_pending() do llm.process_callbacks() end
  return { mode = mode, calls = n, answers = answers }

elseif mode == "promise" then
  local promises = {}
  for i = 1, n do
    promises[i] = llm.chat_promise(question(i)):next(function(text)
      print(("[%d] %s"):format(i, text))
      return text
    end)
  end
  local answers, err = promise.all(promises):await()
  if not answers then error("a call failed: " .. tostring(err)) end
  return { mode = mode, calls = n, answers = answers }

elseif mode == "streaming" then
  local pieces = {}
  local err = llm.stream_chat(question(1), function(piece) pieces[#pieces + 1] = piece end)
  if err then error("stream failed: " .. err) end
  print(("received %d pieces: %s"):format(#pieces, table.concat(pieces)))
  return { mode = mode, pieces = #pieces }

else -- sequential: the same calls, one after another
  local answers = {}
  for i = 1, n do
    local text, err = llm.chat(question(i))
    answers[i] = text or err
    print(("[%d] %s"):format(i, answers[i]))
  end
  return { mode = mode, calls = n, answers = answers }
end
