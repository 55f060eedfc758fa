# In the project's directory, while the cluster runs (mvn cluster:run, or a build between start and stop):
props=target/cluster/cluster.properties      # readable by you only: it holds the token
url=$(sed -n 's/^cluster\.control\.url=//p' $props | sed 's/\\//g')     # http://127.0.0.1:<port>/
token=$(sed -n 's/^cluster\.control\.token=//p' $props)
auth="Authorization: Bearer $token"

curl -sS -H "$auth" "${url}nodes"                        # [{"name":"n_0","index":0,"pid":…,"ports":{…},"state":"RUNNING",…},…]
curl -sS -H "$auth" -X POST "${url}nodes/n_1/kill"       # returns once every process of n_1 is gone
curl -sS -H "$auth" -X POST "${url}nodes/n_1/start"      # returns once n_1 is ready again
curl -sS -H "$auth" -X POST "${url}nodes/n_0/pause"      # SIGSTOP to its family
curl -sS -H "$auth" -X POST "${url}nodes/n_0/resume"     # SIGCONT
curl -sS -H "$auth" -X POST "${url}nodes/n_0/restart"    # stop (graceful, then forced), then start
curl -sS -o /dev/null -w '%{http_code}\n' -X POST "${url}nodes/n_0/kill"   # 401: no token, nothing happens
curl -sS -o /dev/null -w '%{http_code}\n' -H "$auth" -X POST "${url}nodes/n_0/resume"   # 409: n_0 is not paused
