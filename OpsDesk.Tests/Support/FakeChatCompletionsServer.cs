using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpsDesk.Tests.Support;

/// <summary>
/// A local HTTP server (Kestrel on 127.0.0.1, a free port) that speaks the chat-completions protocol
/// for the OpenAI and Azure OpenAI SDKs. Each test scripts a queue of responses and reads back every
/// request (method, path, query, headers, body). Any path ending in /chat/completions is accepted, so
/// both /v1/chat/completions and /openai/deployments/{name}/chat/completions work, and so is
/// .../embeddings (answered from the same script). An empty queue
/// answers 500 with a body saying so, which fails the test visibly.
/// </summary>
public sealed class FakeChatCompletionsServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ScriptedResponse> script = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private Func<string, ScriptedResponse>? standing;

    private FakeChatCompletionsServer(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUrl { get; }

    /// <summary>The value for OpenAI:Endpoint (the SDK appends /chat/completions).</summary>
    public string OpenAIEndpoint => new Uri(BaseUrl, "v1").ToString();

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public static async Task<FakeChatCompletionsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeChatCompletionsServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeChatCompletionsServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return server;
    }

    public void Enqueue(ScriptedResponse response) => script.Enqueue(response);

    /// <summary>The answer once the script is used up (default: a 500 saying so). Live tests set a standing answer here.</summary>
    public ScriptedResponse? WhenScriptIsEmpty { get; set; }

    /// <summary>
    /// A standing answer, once the script is used up, with <paramref name="classificationJson"/> as a model under a strict
    /// schema would give it: when the request's schema asks for <c>citations</c> (knowledge-base articles were sent, which
    /// depends on what articles other tests left in the shared database), the answer cites none of them (an empty array).
    /// </summary>
    public void AnswerWhenScriptIsEmpty(string classificationJson) => standing = request =>
    {
        var answer = JsonNode.Parse(classificationJson)!.AsObject();
        var properties = JsonNode.Parse(request)?["response_format"]?["json_schema"]?["schema"]?["properties"]?.AsObject();
        if (properties?.ContainsKey("citations") == true && !answer.ContainsKey("citations"))
            answer["citations"] = new JsonArray();
        return new ScriptedResponse(200, Completion(answer.ToJsonString(), refusal: null));
    };

    public void EnqueueStatus(int status, string body = """{"error":{"message":"scripted failure","type":"test","code":null}}""", TimeSpan delay = default) =>
        script.Enqueue(new ScriptedResponse(status, body, delay));

    /// <summary>A 200 chat completion whose message content is <paramref name="content"/>.</summary>
    public void EnqueueCompletion(string content, TimeSpan delay = default) =>
        script.Enqueue(new ScriptedResponse(200, Completion(content, refusal: null), delay));

    /// <summary>A 200 chat completion whose message is a refusal.</summary>
    public void EnqueueRefusal(string refusal) =>
        script.Enqueue(new ScriptedResponse(200, Completion(content: null, refusal)));

    public static string Completion(string? content, string? refusal) => new JsonObject
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion",
        ["created"] = 1_700_000_000,
        ["model"] = "fake-model",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = refusal },
            ["logprobs"] = null,
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 50, ["total_tokens"] = 150 },
    }.ToJsonString();

    /// <summary>A 200 embeddings answer with one vector per input, in order, base64-encoded little-endian float32 as the SDK asks for.</summary>
    public void EnqueueEmbeddings(params float[][] vectors) => script.Enqueue(new ScriptedResponse(200, new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. vectors.Select((v, i) => (JsonNode)new JsonObject
        {
            ["object"] = "embedding",
            ["index"] = i,
            ["embedding"] = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan())),
        })]),
        ["model"] = "fake-embedding",
        ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["total_tokens"] = 10 },
    }.ToJsonString()));

    private static bool IsServed(string? path) =>
        path is not null && (path.EndsWith("/chat/completions", StringComparison.Ordinal) || path.EndsWith("/embeddings", StringComparison.Ordinal));

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body))
            body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body));

        if (!HttpMethods.IsPost(context.Request.Method) || !IsServed(context.Request.Path.Value))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"error":{"message":"fake server: only POST .../chat/completions"}}""", context.RequestAborted);
            return;
        }

        if (!script.TryDequeue(out var response))
            response = standing?.Invoke(body) ?? WhenScriptIsEmpty ?? new ScriptedResponse(500, """{"error":{"message":"fake server: no scripted response left"}}""");

        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(response.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up (timeout test)
            }
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
