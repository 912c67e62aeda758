{{/*
The roles, in rendering order. Each has a key under .Values.roles.
*/}}
{{- define "labcommons.roleNames" -}}
core tenant-admin search federation iot
{{- end }}

{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "labcommons.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name prefix of every resource. Truncated to 50 characters so that "-tenant-admin" still fits
in 63 (the DNS label limit of Service names).
*/}}
{{- define "labcommons.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value.
*/}}
{{- define "labcommons.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Image tag: image.tag or the chart's appVersion.
*/}}
{{- define "labcommons.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/*
Selector labels of the release (all roles).
*/}}
{{- define "labcommons.selectorLabels" -}}
app.kubernetes.io/name: {{ include "labcommons.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Common labels of the release (resources that belong to no single role).
*/}}
{{- define "labcommons.labels" -}}
helm.sh/chart: {{ include "labcommons.chart" . }}
{{ include "labcommons.selectorLabels" . }}
app.kubernetes.io/version: {{ include "labcommons.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/part-of: labcommons
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Per-role helpers take a dict: (dict "ctx" $ "role" "<role>").
*/}}
{{- define "labcommons.roleFullname" -}}
{{- printf "%s-%s" (include "labcommons.fullname" .ctx) .role | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "labcommons.roleSelectorLabels" -}}
{{ include "labcommons.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "labcommons.roleLabels" -}}
{{ include "labcommons.labels" .ctx }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{/*
Name of the ServiceAccount the pods use.
*/}}
{{- define "labcommons.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "labcommons.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Whether a role runs the database migrations ("true"/"false"): only core, and only when database.migrate.
*/}}
{{- define "labcommons.migrates" -}}
{{- if and (eq .role "core") .ctx.Values.database.migrate }}true{{ else }}false{{ end }}
{{- end }}
