using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DurableSingletons.ReferenceHost;

/// <summary>
/// Calls the Node function runtime for one invocation. Public and static because the emitted function methods call it.
/// A JS failure is rethrown as the Functions host's RpcException text ("Result: Failure\nException: …\nStack: …"),
/// which is the shape the extension parses to recover an orchestrator's embedded state and an activity's message.
/// </summary>
public static class Bridge
{
    private static HttpClient? client;

    public static void Configure(Uri baseUrl, string token)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), MaxConnectionsPerServer = 64 };
        client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>An orchestrator episode: the trigger context JSON in, the OrchestratorState JSON out (never null).</summary>
    public static async Task<string> Orchestrate(string name, string context)
    {
        var result = await InvokeAsync("orchestration", name, context).ConfigureAwait(false);
        return result ?? throw new InvalidOperationException($"Orchestrator function '{name}' returned no OrchestratorState");
    }

    /// <summary>An activity: its input as the trigger binding converts it to a string, its JSON result out.</summary>
    public static async Task<JToken?> Activity(string name, string? input)
    {
        var result = await InvokeAsync("activity", name, input).ConfigureAwait(false);
        return result is null ? null : JToken.Parse(result);
    }

    /// <summary>An entity batch: the entity context JSON in, the entity result object out (the shim needs a JObject).</summary>
    public static async Task<JObject> Entity(string name, string context)
    {
        var result = await InvokeAsync("entity", name, context).ConfigureAwait(false);
        return result is null
            ? throw new InvalidOperationException($"Entity function '{name}' returned no result")
            : JObject.Parse(result);
    }

    private static async Task<string?> InvokeAsync(string kind, string name, string? payload)
    {
        var http = client ?? throw new InvalidOperationException("The bridge is not configured");
        var body = JsonConvert.SerializeObject(new { kind, name, payload });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("invoke", content).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The local host's bridge answered {(int)response.StatusCode}: {text}");
        }
        var reply = JsonConvert.DeserializeObject<BridgeReply>(text)
            ?? throw new InvalidOperationException("The local host's bridge answered with no body");
        if (!reply.Ok)
        {
            throw new Exception(reply.RpcExceptionMessage ?? "Result: Failure\nException: unknown failure\nStack: ");
        }
        return reply.Result;
    }

    private sealed class BridgeReply
    {
        [JsonProperty("ok")] public bool Ok { get; set; }
        [JsonProperty("result")] public string? Result { get; set; }
        [JsonProperty("rpcExceptionMessage")] public string? RpcExceptionMessage { get; set; }
    }
}
