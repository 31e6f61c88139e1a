tools.register("again", "Asks to be called again", { type = "object" }, function() return "call me again" end)
local answer, err = llm.chat("keep calling again [loop]", { tools = { "again" }, max_steps = 3 })
return answer or err
