sleep(10)
