package org.labcommons.charts

import com.fasterxml.jackson.core.JsonParser
import com.fasterxml.jackson.databind.DeserializationFeature
import com.fasterxml.jackson.databind.JsonMappingException
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.MapperFeature
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.cfg.CoercionAction
import com.fasterxml.jackson.databind.cfg.CoercionInputShape
import com.fasterxml.jackson.databind.json.JsonMapper
import com.fasterxml.jackson.databind.type.LogicalType
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper
import com.fasterxml.jackson.annotation.JsonProperty
import io.fabric8.kubernetes.api.model.ConfigMap
import io.fabric8.kubernetes.api.model.HasMetadata
import io.fabric8.kubernetes.api.model.Secret
import io.fabric8.kubernetes.api.model.Service
import io.fabric8.kubernetes.api.model.ServiceAccount
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.networking.v1.Ingress
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget

import java.lang.reflect.Field
import java.lang.reflect.Modifier

/**
 * Checks that rendered manifests are valid Kubernetes objects of the kinds the chart may produce:
 * each YAML document is deserialized into its typed fabric8 model, strictly (no scalar coercion: a
 * quoted number for an int field, or an unquoted number or boolean for a string field, is an error,
 * as it is for the API server), must carry apiVersion, kind and metadata.name, and must not contain
 * fields the model does not know. fabric8 models collect unknown fields into additionalProperties
 * instead of failing, so the whole object graph is walked and every such map must be empty.
 */
class ManifestValidator {

    /** apiVersion/kind -> typed model; anything else is reported as unsupported. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = [
            'v1/ConfigMap'                     : ConfigMap,
            'v1/Secret'                        : Secret,
            'v1/Service'                       : Service,
            'v1/ServiceAccount'                : ServiceAccount,
            'apps/v1/Deployment'               : Deployment,
            'networking.k8s.io/v1/Ingress'     : Ingress,
            'policy/v1/PodDisruptionBudget'    : PodDisruptionBudget,
    ].asImmutable()

    private final ObjectMapper yaml = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION) // duplicate keys: the API server would keep one silently
            .build()

    private final ObjectMapper mapper = strictMapper()

    static class Result {
        final List<HasMetadata> objects = []
        final List<String> problems = []

        boolean isValid() { problems.isEmpty() }

        def <T extends HasMetadata> List<T> ofType(Class<T> type) { objects.findAll { type.isInstance(it) } as List<T> }

        @Override
        String toString() { valid ? "${objects.size()} valid objects" : problems.join('\n') }
    }

    /** Validates a multi-document YAML stream, e.g. the output of `helm template`. */
    Result validate(String manifests) {
        def result = new Result()
        String source = null
        manifests.split(/(?m)^---[ \t]*$/).eachWithIndex { String chunk, int index ->
            def sourceLine = chunk.readLines().find { it.startsWith('# Source: ') }
            source = sourceLine ? sourceLine.substring('# Source: '.length()).trim() : "document ${index + 1}"
            JsonNode node
            try {
                node = yaml.readTree(chunk)
            } catch (Exception e) {
                result.problems << "${source}: not valid YAML: ${e.message}".toString()
                return
            }
            if (node == null || node.isMissingNode() || node.isNull()) {
                return // empty document (only comments)
            }
            validateDocument(node, source, result)
        }
        result
    }

    private void validateDocument(JsonNode node, String source, Result result) {
        if (!node.isObject()) {
            result.problems << "${source}: document is not a mapping".toString()
            return
        }
        def apiVersion = node.path('apiVersion').textValue()
        def kind = node.path('kind').textValue()
        def name = node.path('metadata').path('name').textValue()
        def where = "${source} (${kind ?: '?'} ${name ?: '?'})"
        def missing = [apiVersion: apiVersion, kind: kind, 'metadata.name': name].findAll { !it.value?.trim() }.keySet()
        if (missing) {
            result.problems << "${where}: missing ${missing.join(', ')}".toString()
            return
        }
        def model = MODELS["${apiVersion}/${kind}".toString()]
        if (model == null) {
            result.problems << "${where}: unsupported apiVersion/kind ${apiVersion}/${kind}".toString()
            return
        }
        HasMetadata object
        try {
            object = mapper.treeToValue(node, model)
        } catch (JsonMappingException e) {
            result.problems << "${where}: does not deserialize as ${model.simpleName} at ${jsonPath(e)}: ${e.originalMessage}".toString()
            return
        }
        def unknown = []
        collectUnknownFields(object, '', unknown, Collections.newSetFromMap(new IdentityHashMap()))
        if (unknown) {
            result.problems << "${where}: unknown fields ${unknown.join(', ')}".toString()
            return
        }
        result.objects << object
    }

    private static String jsonPath(JsonMappingException e) {
        e.path.inject('') { String path, JsonMappingException.Reference ref ->
            ref.fieldName != null ? (path ? "${path}.${ref.fieldName}" : ref.fieldName) : "${path}[${ref.index}]"
        } ?: '(root)'
    }

    /** Walks fabric8 model objects (fields, recursively through lists and maps) for non-empty additionalProperties. */
    private void collectUnknownFields(Object value, String path, List<String> unknown, Set<Object> seen) {
        if (value == null || value instanceof CharSequence || value instanceof Number || value instanceof Boolean || value instanceof Enum) {
            return
        }
        if (value instanceof Map) {
            value.each { k, v -> collectUnknownFields(v, "${path}[${k}]".toString(), unknown, seen) }
            return
        }
        if (value instanceof Collection) {
            value.eachWithIndex { v, i -> collectUnknownFields(v, "${path}[${i}]".toString(), unknown, seen) }
            return
        }
        if (!value.class.name.startsWith('io.fabric8.') || !seen.add(value)) {
            return
        }
        for (Field field : fieldsOf(value.class)) {
            def fieldValue = field.get(value)
            if (field.name == 'additionalProperties') {
                (fieldValue as Map)?.keySet()?.each { unknown << (path ? "${path}.${it}" : it.toString()).toString() }
            } else {
                def jsonName = field.getAnnotation(JsonProperty)?.value() ?: field.name
                collectUnknownFields(fieldValue, path ? "${path}.${jsonName}".toString() : jsonName, unknown, seen)
            }
        }
    }

    private static final Map<Class, List<Field>> FIELDS = [:].withDefault { Class type ->
        def fields = []
        for (Class c = type; c != null && c != Object; c = c.superclass) {
            c.declaredFields.findAll { !Modifier.isStatic(it.modifiers) && !it.synthetic }.each {
                it.accessible = true
                fields << it
            }
        }
        fields
    }.asSynchronized()

    private static List<Field> fieldsOf(Class type) { FIELDS[type] }

    private static ObjectMapper strictMapper() {
        def mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build()
        // the API server rejects "3" for an int and 8080 / true for a string: so does this mapper
        [CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean].each {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(it, CoercionAction.Fail)
        }
        [LogicalType.Integer, LogicalType.Float, LogicalType.Boolean].each {
            mapper.coercionConfigFor(it).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        }
        mapper
    }
}
