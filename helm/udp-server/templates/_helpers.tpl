{{/*
Chart name, or nameOverride. Truncated to 63 characters: some Kubernetes name fields are limited to that (DNS-1123).
*/}}
{{- define "udp-server.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: fullnameOverride, else "<release>-<name>", else the release name alone when it already
contains the chart name. Truncated to 63 characters for the same reason.
*/}}
{{- define "udp-server.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
"<chart>-<version>" for the helm.sh/chart label ("+" is not allowed in label values).
*/}}
{{- define "udp-server.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The labels that say which release an object belongs to. Every object the chart renders carries them, the objects
of extraManifests included; alone they select nothing (the pods' selector also needs app.kubernetes.io/name).
helm.sh/chart changes with every chart version, so it never goes into a selector.
*/}}
{{- define "udp-server.releaseLabels" -}}
helm.sh/chart: {{ include "udp-server.chart" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ricochet
{{- end }}

{{/*
The chart's labels on its own objects: the release's, the name and the version.
*/}}
{{- define "udp-server.labels" -}}
{{ include "udp-server.releaseLabels" . }}
app.kubernetes.io/name: {{ include "udp-server.name" . }}
app.kubernetes.io/version: {{ include "udp-server.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
{{- end }}

{{/*
Selector labels: the Deployment's selector (immutable once created), the Service's, the PDB's and the
topology spread constraints'. Nothing that changes between upgrades, and never commonLabels.
*/}}
{{- define "udp-server.selectorLabels" -}}
app.kubernetes.io/name: {{ include "udp-server.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of the helm test pod. Its app.kubernetes.io/name differs from the server's on purpose: a bare pod that
matched the Deployment's selector would be adopted by its ReplicaSet and be counted as one of its replicas.
*/}}
{{- define "udp-server.testLabels" -}}
{{ include "udp-server.releaseLabels" . }}
app.kubernetes.io/name: {{ include "udp-server.name" . }}-test
app.kubernetes.io/component: test
{{- end }}

{{- define "udp-server.testSelectorLabels" -}}
app.kubernetes.io/name: {{ include "udp-server.name" . }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
An object's labels, as a YAML map: commonLabels, then the object's own (.labels: service.labels, podLabels, …),
then the chart's (.chart, default udp-server.labels), each winning over the one before, so that neither can
change a label the chart selects on. Call with (dict "root" $ "labels" .Values.service.labels).
*/}}
{{- define "udp-server.objectLabels" -}}
{{- $chart := .chart | default (include "udp-server.labels" .root | fromYaml) }}
{{- toYaml (mustMergeOverwrite (deepCopy .root.Values.commonLabels) (deepCopy (.labels | default dict)) $chart) }}
{{- end }}

{{/*
The labels and annotations of an object's metadata: udp-server.objectLabels, and commonAnnotations with the
object's own annotations (.annotations) over them. Call with (dict "root" $ "labels" … "annotations" … "chart" …);
all but root are optional.
*/}}
{{- define "udp-server.metadata" -}}
labels:
  {{- include "udp-server.objectLabels" . | nindent 2 }}
{{- with mustMergeOverwrite (deepCopy .root.Values.commonAnnotations) (deepCopy (.annotations | default dict)) }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
The server's settings: each environment variable the server reads (libs/config) and the value it comes from.
The one list: configmap.yaml writes it, and extraEnv may not set any of these names.
*/}}
{{- define "udp-server.settingsEnv" -}}
UDP_HOST: server.host
UDP_PORT: server.port
LOG_LEVEL: server.logLevel
DRAIN_SECONDS: server.drainSeconds
MAX_DATAGRAM_BYTES: server.maxDatagramBytes
RECV_BUFFER_BYTES: server.recvBufferBytes
DROP_LOG_INTERVAL_SECONDS: server.dropLogIntervalSeconds
SOCKET_IO: server.socketIo
WORKERS: server.workers
RATE_LIMIT_SOURCE_RATE: server.rateLimit.sourceRate
RATE_LIMIT_SOURCE_BURST: server.rateLimit.sourceBurst
RATE_LIMIT_PREFIX_RATE: server.rateLimit.prefixRate
RATE_LIMIT_PREFIX_BURST: server.rateLimit.prefixBurst
RATE_LIMIT_IPV4_PREFIX: server.rateLimit.ipv4Prefix
RATE_LIMIT_IPV6_PREFIX: server.rateLimit.ipv6Prefix
RATE_LIMIT_TABLE_SIZE: server.rateLimit.tableSize
RATE_LIMIT_EXEMPT: server.rateLimit.exempt
METRICS_HOST: metrics.host
METRICS_PORT: metrics.port
{{- end }}

{{/*
A value, by its path, as the server parses an environment variable: a list joined with commas ("none" when
empty, which the server reads as no entry), a whole number through int64 (Helm reads every YAML number as a
float, which would print 4194304 as 4.194304e+06), anything else as written. Call with (dict "root" $ "path" "server.port").
*/}}
{{- define "udp-server.envValue" -}}
{{- $value := .root.Values }}
{{- range splitList "." .path }}{{ $value = index $value . }}{{ end }}
{{- if and (eq .path "server.workers") (eq (toString $value) "auto") }}{{ include "udp-server.autoWorkers" .root }}
{{- else if kindIs "slice" $value }}{{ $value | default (list "none") | join "," }}
{{- else if and (kindIs "float64" $value) (eq $value (float64 (int64 $value))) }}{{ int64 $value }}
{{- else }}{{ $value }}{{ end }}
{{- end }}

{{/*
server.workers "auto": one worker per core of resources.limits.cpu, rounded up ("1500m" and "1.5" give 2), at
most 64, and 1 without a CPU limit.
*/}}
{{- define "udp-server.autoWorkers" -}}
{{- $cpu := toString (dig "limits" "cpu" "" (.Values.resources | default dict)) }}
{{- $millicores := 1000 }}
{{- if hasSuffix "m" $cpu }}{{ $millicores = trimSuffix "m" $cpu | int }}
{{- else if ne $cpu "" }}{{ $millicores = mulf (float64 $cpu) 1000 | ceil | int }}
{{- end }}
{{- div (add $millicores 999) 1000 | max 1 | min 64 }}
{{- end }}

{{/*
The ServiceAccount the pods run as.
*/}}
{{- define "udp-server.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "udp-server.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The version label: image.tag (the commit sha CI tags each image with), else the chart's appVersion (a published
chart's appVersion is that same sha).
*/}}
{{- define "udp-server.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{/*
The image reference, used by the Deployment and the test pod alike so both run the same build:
[registry/]repository:tag@digest when both are set (the digest decides what runs; the tag says which commit it
is), [registry/]repository@digest, or [registry/]repository:tag. The registry is global.imageRegistry, else
image.registry; with neither, image.repository is the whole name. Neither tag nor digest fails: no default tag
names an image anyone published.
*/}}
{{- define "udp-server.image" -}}
{{- $image := .Values.image }}
{{- if and (not $image.tag) (not $image.digest) }}
{{- fail "image.tag is empty: set image.tag to the full git commit sha of a published image (nx run udp-server:docker pushes <registry>/udp-server:<sha>) and image.digest to its digest, or install a published chart (nx run deploy:publish-chart), which sets both" }}
{{- end }}
{{- $global := (.Values.global).imageRegistry }}
{{- $registry := $global | default $image.registry }}
{{- /* Docker's rule: a first path component with a dot or a colon, or localhost, is a registry host. */}}
{{- $first := splitList "/" $image.repository | first }}
{{- if and $registry (contains "/" $image.repository) (or (contains "." $first) (contains ":" $first) (eq $first "localhost")) }}
{{- $path := trimPrefix (printf "%s/" $first) $image.repository }}
{{- $pulled := printf "the pods would pull %s/%s" $registry $image.repository }}
{{- if $global }}
{{- fail (printf "image.repository (%s) starts with the registry host %s, but global.imageRegistry (%s) replaces the registry: %s. Set image.repository to its path, %s, and image.registry to %s (used when global.imageRegistry is empty)" $image.repository $first $global $pulled $path $first) }}
{{- end }}
{{- fail (printf "image.repository (%s) starts with the registry host %s, but image.registry is %s: %s. Set image.registry to %s and image.repository to %s, or set image.registry to \"\" to use image.repository as the whole name" $image.repository $first $registry $pulled $first $path) }}
{{- end }}
{{- $reference := $image.repository }}
{{- if $registry }}{{ $reference = printf "%s/%s" $registry $reference }}{{ end }}
{{- if $image.tag }}{{ $reference = printf "%s:%s" $reference $image.tag }}{{ end }}
{{- if $image.digest }}{{ $reference = printf "%s@%s" $reference $image.digest }}{{ end }}
{{- $reference }}
{{- end }}

{{/*
Names of the UDP ports: "udp-<port>" (CoreDNS's convention), on the container and on the Service.
*/}}
{{- define "udp-server.containerPortName" -}}
{{- printf "udp-%d" (int .Values.server.port) }}
{{- end }}

{{- define "udp-server.servicePortName" -}}
{{- printf "udp-%d" (int .Values.service.port) }}
{{- end }}

{{/*
The metrics Service: "<fullname>-metrics", the full name cut to 55 characters so the whole stays within 63. Its
labels add app.kubernetes.io/component=metrics, which the ServiceMonitor selects on (the UDP Service has none).
*/}}
{{- define "udp-server.metricsServiceName" -}}
{{- printf "%s-metrics" (include "udp-server.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{- define "udp-server.metricsSelectorLabels" -}}
{{ include "udp-server.selectorLabels" . }}
app.kubernetes.io/component: metrics
{{- end }}

{{/*
Whether the Prometheus Operator objects render: switched on, and either the cluster serves the kind (helm
install/upgrade know the cluster's APIs; helm template needs --api-versions monitoring.coreos.com/v1/<Kind>) or
force is set. Call with (dict "root" $ "config" .Values.metrics.serviceMonitor "kind" "ServiceMonitor");
returns "true" or "".
*/}}
{{- define "udp-server.operatorObjectEnabled" -}}
{{- if and .config.enabled (or .config.force (.root.Capabilities.APIVersions.Has (printf "monitoring.coreos.com/v1/%s" .kind))) }}true{{ end }}
{{- end }}

{{/*
An alert's runbook_url annotation: metrics.prometheusRule.runbookBaseUrl (docs/runbooks.md) and the anchor of the
alert's section there, its heading lower-cased; nothing when the base is empty. Call with (list $ "RicochetDown").
*/}}
{{- define "udp-server.runbookUrl" -}}
{{- with (index . 0).Values.metrics.prometheusRule.runbookBaseUrl }}runbook_url: {{ printf "%s#%s" . (lower (index $ 1)) | quote }}{{ end }}
{{- end }}

{{/*
PromQL label matchers (no braces) for this release's scrape targets: metrics.prometheusRule.targetSelector, else
the job the Prometheus Operator names after the metrics Service, in the release namespace.
*/}}
{{- define "udp-server.targetSelector" -}}
{{- with .Values.metrics.prometheusRule.targetSelector }}{{ . }}{{ else }}job="{{ include "udp-server.metricsServiceName" . }}",namespace="{{ .Release.Namespace }}"{{ end }}
{{- end }}

{{/*
Where the exec probes send their HEALTH request: loopback when the server listens on every address (0.0.0.0
or ::, which also accepts IPv4 on loopback), else the one address it is bound to.
*/}}
{{- define "udp-server.probeHost" -}}
{{- if has .Values.server.host (list "0.0.0.0" "::") }}127.0.0.1{{ else }}{{ .Values.server.host }}{{ end }}
{{- end }}

{{/*
A probe. probes.mode exec: the probe bundle run by the image's Node, by absolute path (the image has no shell and
no PATH lookup is involved), with the kubelet timeout of the probe's own settings. probes.mode http: httpGet on
the metrics port, /livez for "alive" and /readyz for "serving", with probes.httpTimeoutSeconds (no process to
start). Call with (dict "root" $ "probe" .Values.livenessProbe "expect" "alive").
*/}}
{{- define "udp-server.probe" -}}
{{- $probe := .probe -}}
{{- if eq .root.Values.probes.mode "http" -}}
httpGet:
  path: {{ ternary "/readyz" "/livez" (eq .expect "serving") }}
  port: metrics
  scheme: HTTP
{{- else -}}
exec:
  command:
    - /nodejs/bin/node
    - /app/health-probe/main.js
    - check
    - --expect
    - {{ .expect }}
    - --host
    - {{ include "udp-server.probeHost" .root | quote }}
    - --port
    - {{ .root.Values.server.port | int64 | quote }}
    - --timeout-ms
    - {{ $probe.checkTimeoutMs | int64 | quote }}
{{- end }}
{{- with $probe.initialDelaySeconds }}
initialDelaySeconds: {{ . }}
{{- end }}
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ ternary .root.Values.probes.httpTimeoutSeconds $probe.timeoutSeconds (eq .root.Values.probes.mode "http") }}
{{- with $probe.successThreshold }}
successThreshold: {{ . }}
{{- end }}
failureThreshold: {{ $probe.failureThreshold }}
{{- end }}

{{/*
How many replicas can run at most: what decides whether a PodDisruptionBudget makes sense.
*/}}
{{- define "udp-server.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.maxReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{/*
Checks of combinations the schema cannot express. Included at the top of the Deployment, which always renders.
*/}}
{{- define "udp-server.validate" -}}
{{- $v := .Values }}
{{- /* commonLabels: the labels the chart sets itself name, version and select its objects. */}}
{{- $own := include "udp-server.labels" . | fromYaml }}
{{- range $key, $_ := $v.commonLabels }}
{{- if or (hasKey $own $key) (eq $key "app.kubernetes.io/component") }}
{{- fail (printf "commonLabels sets %s, a label the chart sets on its objects itself (nameOverride changes app.kubernetes.io/name, image.tag app.kubernetes.io/version): remove it from commonLabels" $key) }}
{{- end }}
{{- end }}
{{- /* extraEnv: an env entry wins over the ConfigMap's envFrom, so one naming a server setting would silently
replace the value the chart renders (and documents, and checks). extraEnvFrom is listed before the ConfigMap,
which therefore wins there. */}}
{{- $settings := include "udp-server.settingsEnv" . | fromYaml }}
{{- $refused := list }}
{{- range $env := $v.extraEnv }}
{{- if hasKey $settings $env.name }}
{{- $refused = append $refused (printf "%s (set %s instead)" $env.name (get $settings $env.name)) }}
{{- end }}
{{- end }}
{{- with $refused }}
{{- fail (printf "extraEnv sets %s: the chart sets these server settings in its ConfigMap from those values, and an env entry would silently win over it" (join ", " .)) }}
{{- end }}
{{- /* Extra containers and volumes: the API server would reject duplicate names and mounts of unknown volumes
with a less direct message; nothing would reject two containers of the pod (one network namespace) binding one
port, which would crash-loop the second. Init containers without restartPolicy Always exit before the server
starts, so only their names count. */}}
{{- $volumes := list }}
{{- range $volume := $v.extraVolumes }}
{{- if has $volume.name $volumes }}
{{- fail (printf "extraVolumes has two volumes named %s: volume names must be unique" $volume.name) }}
{{- end }}
{{- $volumes = append $volumes $volume.name }}
{{- end }}
{{- $containers := list (dict "where" "the server container (extraVolumeMounts)" "name" "udp-server" "volumeMounts" $v.extraVolumeMounts) }}
{{- range $list := list "initContainers" "sidecars" }}
{{- range $i, $c := index $v $list }}
{{- $containers = append $containers (merge (dict "where" (printf "%s[%d] (%s)" $list $i $c.name) "running" (or (eq $list "sidecars") (eq ($c.restartPolicy | default "") "Always"))) $c) }}
{{- end }}
{{- end }}
{{- $names := list }}
{{- $ports := dict (printf "%d/UDP" (int $v.server.port)) "server.port" (printf "%d/TCP" (int $v.metrics.port)) "metrics.port" }}
{{- range $c := $containers }}
{{- if has $c.name $names }}
{{- fail (printf "%s is named %s, like another container of the pod (udp-server is the server itself): container names must be unique" $c.where $c.name) }}
{{- end }}
{{- $names = append $names $c.name }}
{{- range $mount := $c.volumeMounts }}
{{- if not (has $mount.name $volumes) }}
{{- fail (printf "%s mounts the volume %s, which extraVolumes does not define" $c.where $mount.name) }}
{{- end }}
{{- end }}
{{- if $c.running }}
{{- range $p := $c.ports }}
{{- $port := printf "%d/%s" (int $p.containerPort) ($p.protocol | default "TCP") }}
{{- with get $ports $port }}
{{- fail (printf "%s declares port %s, which %s already uses: the containers of a pod share its network, so only one can bind it" $c.where $port .) }}
{{- end }}
{{- $_ := set $ports $port $c.where }}
{{- end }}
{{- end }}
{{- end }}
{{- /* Drain: the kubelet sends SIGKILL terminationGracePeriodSeconds after SIGTERM. The server needs the drain
window plus a moment to close its socket and flush its logs: 2 seconds. */}}
{{- $needed := add (ceil $v.server.drainSeconds | int) 2 }}
{{- if lt (int $v.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be at least ceil(server.drainSeconds) + 2 = %d: after SIGTERM the server keeps answering for server.drainSeconds (%v), then needs a moment to exit, and the kubelet kills it at terminationGracePeriodSeconds" (int $v.terminationGracePeriodSeconds) (int $needed) $v.server.drainSeconds) }}
{{- end }}
{{- /* Probes: the probe's own deadline plus Node's start-up (1500 ms: above the 1.43 s p95 measured under a
250m CPU limit with the server answering 5000 PING/s) must fit in the kubelet's timeout. */}}
{{- range $key := list "startupProbe" "livenessProbe" "readinessProbe" }}
{{- $p := index $v $key }}
{{- if and $p.enabled (eq $v.probes.mode "exec") }}
{{- $budget := sub (mul (int $p.timeoutSeconds) 1000) 1500 }}
{{- if gt (int $p.checkTimeoutMs) (int $budget) }}
{{- fail (printf "%s.checkTimeoutMs (%d) must be at most %s.timeoutSeconds x 1000 - 1500 = %d: the probe's Node start-up (up to 1.5 s under a tight CPU limit) runs inside the kubelet's timeout" $key (int $p.checkTimeoutMs) $key (int $budget)) }}
{{- end }}
{{- end }}
{{- end }}
{{- /* Service: fields that exist only for some types. */}}
{{- $svc := $v.service }}
{{- if and (eq $svc.type "ClusterIP") (not (kindIs "invalid" $svc.nodePort)) }}
{{- fail (printf "service.nodePort (%v) needs service.type NodePort or LoadBalancer, not ClusterIP" $svc.nodePort) }}
{{- end }}
{{- if and (eq $svc.type "ClusterIP") $svc.externalTrafficPolicy }}
{{- fail (printf "service.externalTrafficPolicy (%s) needs service.type NodePort or LoadBalancer, not ClusterIP" $svc.externalTrafficPolicy) }}
{{- end }}
{{- if and (ne $svc.type "LoadBalancer") (or $svc.loadBalancerClass $svc.loadBalancerSourceRanges) }}
{{- fail (printf "service.loadBalancerClass and service.loadBalancerSourceRanges need service.type LoadBalancer, not %s" $svc.type) }}
{{- end }}
{{- /* Autoscaling. */}}
{{- if $v.autoscaling.enabled }}
{{- if gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) }}
{{- end }}
{{- if not (dig "requests" "cpu" "" $v.resources) }}
{{- fail "autoscaling.enabled needs resources.requests.cpu: the HorizontalPodAutoscaler's target is a percentage of the CPU request" }}
{{- end }}
{{- end }}
{{- if and $v.autoscaling.datagrams.enabled (not $v.autoscaling.enabled) }}
{{- fail "autoscaling.datagrams.enabled needs autoscaling.enabled: the datagrams-per-second metric is one of the HorizontalPodAutoscaler's metrics" }}
{{- end }}
{{- /* Metrics: what must reach the HTTP port from outside the pod. */}}
{{- $m := $v.metrics }}
{{- if and $m.serviceMonitor.enabled (not $m.service.enabled) }}
{{- fail "metrics.serviceMonitor.enabled needs metrics.service.enabled: a ServiceMonitor scrapes the pods through a Service's named port (metrics)" }}
{{- end }}
{{- if or (hasPrefix "127." $m.host) (eq $m.host "::1") }}
{{- $needs := list }}
{{- if eq $v.probes.mode "http" }}{{ $needs = append $needs "probes.mode http (the kubelet)" }}{{ end }}
{{- if $m.service.enabled }}{{ $needs = append $needs "metrics.service" }}{{ end }}
{{- if $m.serviceMonitor.enabled }}{{ $needs = append $needs "metrics.serviceMonitor" }}{{ end }}
{{- if $m.scrapeAnnotations.enabled }}{{ $needs = append $needs "metrics.scrapeAnnotations" }}{{ end }}
{{- with $needs }}
{{- fail (printf "metrics.host (%s) is a loopback address, which only the pod itself can reach, but %s must reach the metrics port from outside the pod: use 0.0.0.0 or ::" $m.host (join ", " .)) }}
{{- end }}
{{- end }}
{{- /* Host network: two pods of the release cannot share a node (they would bind the same node ports). */}}
{{- if $v.hostNetwork }}
{{- if has (toString $v.rollingUpdate.maxUnavailable) (list "0" "0%") }}
{{- fail "hostNetwork needs rollingUpdate.maxUnavailable of at least 1 (it is 0): two pods of the release cannot run on one node (they bind the same node ports), so once every node runs one, a rollout that keeps each old pod until its replacement is Ready waits forever for a free node" }}
{{- end }}
{{- if $v.networkPolicy.enabled }}
{{- fail "networkPolicy.enabled does not protect hostNetwork pods: Kubernetes leaves NetworkPolicy undefined for pods in the node's network namespace, and common CNIs ignore them. Filter on the nodes (host firewall, cloud security groups) and set networkPolicy.enabled false" }}
{{- end }}
{{- end }}
{{- if and (eq $v.dnsPolicy "None") (not $v.dnsConfig.nameservers) }}
{{- fail "dnsPolicy None needs dnsConfig.nameservers: the pods' resolv.conf then comes from dnsConfig alone" }}
{{- end }}
{{- /* PodDisruptionBudget: exactly one of the two. */}}
{{- $pdb := $v.podDisruptionBudget }}
{{- if $pdb.enabled }}
{{- if eq (kindIs "invalid" $pdb.minAvailable) (kindIs "invalid" $pdb.maxUnavailable) }}
{{- fail "podDisruptionBudget: set exactly one of podDisruptionBudget.minAvailable and podDisruptionBudget.maxUnavailable (the other null)" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The least server.drainSeconds that loses no datagram in a rollout, or "" when readiness is off. kube-proxy moves
the UDP flows pinned to a pod (its conntrack entries) only once the pod's endpoint stops serving, which is when the
readiness probe has seen DRAINING: up to periodSeconds x failureThreshold + its timeout after SIGTERM, plus about
2 s for the change to reach kube-proxy. Measured on a real cluster: a shorter drain closes the socket while flows
still point at it, and every flow of that pod loses ~200 ms of datagrams. Not a render failure: a short drain is a
choice (tests, batch jobs), but NOTES.txt says what it costs.
*/}}
{{- define "udp-server.lossFreeDrainSeconds" -}}
{{- $v := .Values }}
{{- if $v.readinessProbe.enabled }}
{{- $timeout := ternary $v.probes.httpTimeoutSeconds $v.readinessProbe.timeoutSeconds (eq $v.probes.mode "http") }}
{{- add (mul (int $v.readinessProbe.periodSeconds) (int $v.readinessProbe.failureThreshold)) (int $timeout) 2 }}
{{- end }}
{{- end }}
