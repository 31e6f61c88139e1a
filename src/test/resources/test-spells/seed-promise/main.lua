function llm.chat_promise(prompt)          -- a spell may replace the built-in
  return promise.new(function(resolve, reject)
    local resolved = false
    llm.chat_async(prompt, function(r) resolved = true; resolve(r) end,
                           function(e) resolved = true; reject(e) end)
    while not resolved do llm.process_callbacks(); coroutine.yield() end
  end)
end
local results = promise.all({ llm.chat_promise("Q1"), llm.chat_promise("Q2"),
                              llm.chat_promise("Q3") }):await()
return results
