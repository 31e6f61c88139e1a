llm.chat_async("usage please", function(text, info)
  print(text, info.provider, info.model, info.usage.prompt_tokens, info.usage.completion_tokens)
end)
async.wait_all()
local pieces = {}
local err = llm.stream_chat("stream please", function(piece) pieces[#pieces + 1] = piece end)
print(tostring(err), table.concat(pieces, "|"))
