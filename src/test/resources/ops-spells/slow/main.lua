print("started")
while true do sleep(0.02) end
