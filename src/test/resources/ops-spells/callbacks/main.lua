llm.chat_async("[delay=20] question", function(answer) print("answer: " .. answer) end)
llm.chat_async("[delay=20] [fail] question", function() end, function(err) print("failed: " .. tostring(err)) end)
while llm.has_pending() do llm.process_callbacks() end
return "done"
