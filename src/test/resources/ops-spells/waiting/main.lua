for i = 1, 3 do llm.chat_async("[delay=1500] q" .. i, function() end) end
while llm.has_pending() do llm.process_callbacks() end
