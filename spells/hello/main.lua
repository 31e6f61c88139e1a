log.info("greeting", { name = params.name })
print("Hello, " .. params.name .. "!")
return { greeting = "Hello, " .. params.name .. "!", length = #params.name }
