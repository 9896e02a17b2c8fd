using System.Net.Http.Headers;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Config;

namespace DurableSingletons.ReferenceHost;

/// <summary>The function types WebJobs indexes: the emitted JS functions and the client-binding helper.</summary>
public sealed class FixedTypeLocator(params Type[] types) : ITypeLocator
{
    public IReadOnlyList<Type> GetTypes() => types;
}

/// <summary>The webhook base the extension writes into binding payloads and check-status links.</summary>
public sealed class FixedWebHookProvider(Uri url) : IWebHookProvider
{
    public Uri GetUrl(IExtensionConfigProvider extension) => url;
}

/// <summary>Reads the <c>[DurableClient] string</c> payload the extension gives out-of-proc clients.</summary>
public static class ClientFunctions
{
    [NoAutomaticTrigger]
    public static void GetClientJson([DurableClient] string json, string[] jsonRef) => jsonRef[0] = json;

    public static async Task<string> GetClientJsonAsync(IJobHost host)
    {
        var jsonRef = new string[1];
        await host.CallAsync(nameof(GetClientJson), new Dictionary<string, object?> { ["jsonRef"] = jsonRef });
        return jsonRef[0];
    }
}

/// <summary>Serves the public webhook API with the extension's own HttpApiHandler, as the Functions host does.</summary>
public static class WebhookProxy
{
    public static async Task ServeAsync(DurableTaskExtension extension, HttpContext ctx)
    {
        var request = ctx.Request;
        var uri = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ctx.RequestAborted);
        body.Position = 0;
        message.Content = new StreamContent(body);
        foreach (var header in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value))
            {
                message.Content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string>)header.Value);
            }
        }
        var converter = (IAsyncConverter<HttpRequestMessage, HttpResponseMessage>)extension;
        using var response = await converter.ConvertAsync(message, ctx.RequestAborted);
        ctx.Response.StatusCode = (int)response.StatusCode;
        Copy(response.Headers, ctx);
        Copy(response.Content.Headers, ctx);
        ctx.Response.Headers.Remove("transfer-encoding");
        await response.Content.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
    }

    private static void Copy(HttpHeaders headers, HttpContext ctx)
    {
        foreach (var header in headers)
        {
            ctx.Response.Headers[header.Key] = header.Value.ToArray();
        }
    }
}
