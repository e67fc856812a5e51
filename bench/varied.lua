-- wrk script: each request takes the next path of a file (one per line), each thread starting
-- at its own offset, so that connections ask for different keys as client services do.
--   wrk -s bench/varied.lua http://127.0.0.1:PORT -- paths.txt
local paths = {}
local position = 0

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  position = math.random(#paths)
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
