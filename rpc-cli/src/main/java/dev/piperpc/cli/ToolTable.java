package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MCP tools as {@code piperpc mcp tools} prints them for a terminal {@value #WIDTH} columns wide:
 * a row per tool with its name and the start of its description on one line, and under the
 * description its parameters ({@code name*: type}, the required ones, marked {@code *}, first), wrapped.
 * Control characters in what the server wrote are shown as spaces, so that a tool cannot move the
 * cursor or recolour the terminal.
 *
 * <pre>
 * TOOL   DESCRIPTION
 *        PARAMETERS (* required)
 * add    Adds two numbers.
 *        a*: number, b*: number
 * </pre>
 */
final class ToolTable {

    /** The widest line printed. */
    static final int WIDTH = 100;

    /** The widest name column: a longer name has its row to itself, and its description goes under it. */
    private static final int NAME_COLUMN = 24;
    private static final String GAP = "  ";
    private static final String ELLIPSIS = "...";

    private ToolTable() {
    }

    /**
     * The lines of the table of {@code tools}, each a JSON object with a string {@code name}.
     */
    static List<String> lines(List<JsonNode> tools) {
        if (tools.isEmpty()) {
            return List.of("the server lists no tools");
        }
        int nameWidth = "TOOL".length();
        for (JsonNode tool : tools) {
            String name = clean(tool.path("name").asText());
            nameWidth = Math.max(nameWidth, Math.min(name.codePointCount(0, name.length()), NAME_COLUMN));
        }
        String indent = " ".repeat(nameWidth + GAP.length());
        int textWidth = WIDTH - indent.length();
        List<String> lines = new ArrayList<>();
        lines.add(pad("TOOL", nameWidth) + GAP + "DESCRIPTION");
        lines.add(indent + "PARAMETERS (* required)");
        for (JsonNode tool : tools) {
            String name = clean(tool.path("name").asText());
            String description = fit(clean(tool.path("description").asText("")), textWidth);
            if (name.codePointCount(0, name.length()) <= nameWidth) {
                lines.add((pad(name, nameWidth) + GAP + description).stripTrailing());
            } else {
                lines.add(fit(name, WIDTH));
                if (!description.isEmpty()) {
                    lines.add(indent + description);
                }
            }
            for (String line : wrap(parameters(tool.path("inputSchema")), textWidth)) {
                lines.add(indent + line);
            }
        }
        return lines;
    }

    /**
     * The parameters of the input schema as {@code name*: type}: the required ones first, in the
     * order of its {@code required} list, then the others in the order of its {@code properties}.
     */
    private static List<String> parameters(JsonNode schema) {
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        JsonNode properties = schema.path("properties");
        List<String> parameters = new ArrayList<>();
        required.forEach(name -> parameters.add(parameter(name, true, properties.path(name))));
        for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> property = fields.next();
            if (!required.contains(property.getKey())) {
                parameters.add(parameter(property.getKey(), false, property.getValue()));
            }
        }
        return parameters.isEmpty() ? List.of("(none)") : parameters;
    }

    private static String parameter(String name, boolean required, JsonNode property) {
        String type = type(property);
        return clean(name) + (required ? "*" : "") + (type.isEmpty() ? "" : ": " + type);
    }

    /** A property's JSON Schema type: {@code string}, {@code string|null}, {@code number[]}; empty when it has none. */
    private static String type(JsonNode property) {
        JsonNode type = property.path("type");
        if (type.isTextual()) {
            String items = type.asText().equals("array") ? type(property.path("items")) : "";
            return clean(items.isEmpty() ? type.asText() : items + "[]");
        }
        List<String> types = new ArrayList<>();
        type.forEach(each -> types.add(clean(each.asText())));
        return String.join("|", types);
    }

    /** {@code items} joined with ", " into lines at most {@code width} wide (an item too wide for any line is cut). */
    private static List<String> wrap(List<String> items, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i < items.size() - 1 ? "," : "");
            int length = line.codePointCount(0, line.length());
            if (length > 0 && length + 1 + item.codePointCount(0, item.length()) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(item);
        }
        lines.add(line.toString());
        return lines.stream().map(each -> fit(each, width)).toList();
    }

    /** {@code text} on one line: control characters (C0 and C1), line breaks and runs of white space become one space. */
    private static String clean(String text) {
        return text.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}\\s]+", " ").strip();
    }

    /** {@code text}, cut to {@code width} characters with an ellipsis if it is wider. */
    private static String fit(String text, int width) {
        if (text.codePointCount(0, text.length()) <= width) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, width - ELLIPSIS.length())).stripTrailing() + ELLIPSIS;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.codePointCount(0, text.length())));
    }
}
