local err = llm.stream_chat(params.prompt, function() end)
if err then error("stream failed: " .. err) end
