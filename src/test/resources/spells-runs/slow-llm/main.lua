print("asking")
local answer = llm.chat("x [delay=5000]")
print("answered")
return answer
