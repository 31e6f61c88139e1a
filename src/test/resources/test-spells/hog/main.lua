local t = {}
for i = 1, params.size do t[i] = { i } end
print("holding " .. #t)
sleep(20)
