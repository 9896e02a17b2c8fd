using Newtonsoft.Json;

namespace DurableSingletons.ReferenceHost;

/// <summary>One JS function the extension must know: its name and what triggers it.</summary>
public sealed record JsFunction(string Name, string Kind);

/// <summary>What the local host tells this process through its environment.</summary>
public sealed record HostSettings(Uri BridgeUrl, string BridgeToken, IReadOnlyList<JsFunction> Functions, Uri WebhookUrl, LogLevel LogLevel)
{
    public static HostSettings FromEnvironment()
    {
        var functionsJson = Required("REFERENCE_HOST_FUNCTIONS");
        var functions = JsonConvert.DeserializeObject<List<JsFunction>>(functionsJson)
            ?? throw new InvalidOperationException("REFERENCE_HOST_FUNCTIONS must be a JSON array");
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("REFERENCE_HOST_LOG_LEVEL"), true, out var parsed)
            ? parsed
            : LogLevel.Warning;
        return new HostSettings(
            new Uri(Required("REFERENCE_HOST_BRIDGE_URL")),
            Required("REFERENCE_HOST_BRIDGE_TOKEN"),
            functions,
            new Uri(Required("REFERENCE_HOST_WEBHOOK_URL")),
            level);
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The environment variable {name} is required");
}
