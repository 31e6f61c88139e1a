for i = 1, params.count do
  print("tick " .. i)
  sleep(params.interval)
end
return params.count
