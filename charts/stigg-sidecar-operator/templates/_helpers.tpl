{{/*
Object names are fixed, as in manifests/: the operator's lease, the webhook's Secret and its
MutatingWebhookConfiguration are found by these names, so one release per cluster.
*/}}

{{/* Labels of every object: the component's name plus Helm's bookkeeping. */}}
{{- define "stigg.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: stigg-sidecar
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 }}
{{- end }}

{{/* An image reference: "<registry>/<repository>:<tag>". */}}
{{- define "stigg.image" -}}
{{- $images := .root.Values.images -}}
{{- $tag := .image.tag | default $images.tag | default .root.Chart.AppVersion -}}
{{- with $images.registry }}{{ trimSuffix "/" . }}/{{ end }}{{ .image.repository }}:{{ $tag }}
{{- end }}

{{/* Whether a Prometheus Operator object is rendered: true, or "auto" and the cluster serves its kind. */}}
{{- define "stigg.monitoringEnabled" -}}
{{- $enabled := toString .setting.enabled -}}
{{- if or (eq $enabled "true") (and (eq $enabled "auto") (.root.Capabilities.APIVersions.Has (printf "monitoring.coreos.com/v1/%s" .kind))) -}}
true
{{- end -}}
{{- end }}

{{/* The pod-level placement and security shared by both Deployments. */}}
{{- define "stigg.podSpec" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- end }}
