log.warn("starting", { step = 1 })
print("some output")
llm.stream_chat("stream me", function(piece) end)
llm.chat_async("call me", function(text) print("called back") end)
async.wait_all()
local x = 1
error("boom on line seven")
