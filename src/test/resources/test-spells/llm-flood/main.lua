local ok, failed = 0, 0
for i = 1, params.n do
  llm.chat_async("flood " .. i, function() ok = ok + 1 end, function() failed = failed + 1 end)
end
async.wait_all()
return { ok = ok, failed = failed }
