for i = 1, params.count do
	print("tick " .. i)
	sleep(params.delay)
end
return { ticks = params.count }
