// The reference backend of the local host: the real Durable Functions extension (Azure Storage provider) in a plain
// WebJobs host. Durable semantics are the extension's; every orchestrator, activity and entity episode is handed to the
// local host's Node function runtime over a loopback bridge, the way the Functions host hands it to a Node worker.
//
// Inputs (environment, set by the local host):
//   REFERENCE_HOST_BRIDGE_URL     base URL of the Node bridge (loopback), e.g. http://127.0.0.1:41234/
//   REFERENCE_HOST_BRIDGE_TOKEN   bearer token the bridge expects
//   REFERENCE_HOST_FUNCTIONS      JSON array of { name, kind } with kind orchestration | activity | entity
//   REFERENCE_HOST_WEBHOOK_URL    the webhook base the extension advertises (the front door's origin + path + code)
//   AzureWebJobsStorage           the storage connection string (Azurite)
//   AzureWebJobs__extensions__durableTask__*   the extension's options (hub name, polling, dedupe states, ...)
// Output: one line on stdout, `REFERENCE_HOST_READY {json}`, once the job host runs; logs go to stderr. The process
// stops on SIGTERM/SIGINT and when its standard input closes (its parent went away).

using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Config;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using DurableSingletons.ReferenceHost;

var settings = HostSettings.FromEnvironment();
var functions = JsFunctionEmitter.Emit(settings.Functions);
Bridge.Configure(settings.BridgeUrl, settings.BridgeToken);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseUrls("http://127.0.0.1:0");
// The front door enforces the Functions host's request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, 100 MB by
// default) before a request is proxied here; Kestrel's own 30 MB default would refuse what Azure accepts.
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = null);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(settings.LogLevel);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Host.ConfigureWebJobs(b => b.AddDurableTask());
builder.Services.AddSingleton<ITypeLocator>(new FixedTypeLocator(functions, typeof(ClientFunctions)));
builder.Services.AddSingleton<IWebHookProvider>(new FixedWebHookProvider(settings.WebhookUrl));

var app = builder.Build();
var extension = app.Services.GetServices<IExtensionConfigProvider>().OfType<DurableTaskExtension>().Single();
app.Map(settings.WebhookUrl.AbsolutePath.TrimEnd('/') + "/{**rest}", (HttpContext ctx) => WebhookProxy.ServeAsync(extension, ctx));
app.MapGet("/admin/health", () => Results.Text("ok"));

var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
// A parent that goes away (even by SIGKILL) closes our standard input: stop with it.
_ = Task.Run(async () =>
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[256];
    while (await stdin.ReadAsync(buffer) > 0) { }
    lifetime.StopApplication();
});

await app.StartAsync();
var clientJson = await ClientFunctions.GetClientJsonAsync(app.Services.GetRequiredService<IJobHost>());
var address = app.Urls.First();
Console.Out.WriteLine("REFERENCE_HOST_READY " + JsonConvert.SerializeObject(new
{
    url = address,
    clientBinding = JObject.Parse(clientJson),
    pid = Environment.ProcessId,
}));
Console.Out.Flush();
await app.WaitForShutdownAsync();
