local id = llm.chat_async("slow one", function() print("never") end)
sleep(0.3)
print("cancelled", llm.cancel(id), llm.pending_count())
