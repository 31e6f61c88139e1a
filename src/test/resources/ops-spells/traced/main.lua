tools.register("read_health", "Reads the service's health", { type = "object", properties = {} }, function()
  return http.get(params.base .. "/actuator/health").status
end)
tools.register("broken", "Always fails", { type = "object", properties = {} }, function()
  error("broken on purpose")
end)
print(llm.chat("call read_health and broken", { tools = { "read_health", "broken" } }))
print(http.get(params.base .. "/no-such-page").status)
print(select(2, http.get("http://elsewhere.invalid/")))
return "done"
