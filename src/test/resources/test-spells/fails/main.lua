print("before the error")
local config = nil
return config.missing
