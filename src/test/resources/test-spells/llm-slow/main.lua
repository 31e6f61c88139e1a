print("asking")
return llm.chat("slow one")
