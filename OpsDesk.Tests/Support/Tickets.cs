using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpsDesk.Tests.Support;

/// <summary>HTTP helpers for ticket tests.</summary>
public static class Tickets
{
    public static object Body(string? subject = null, string? description = null, string source = "web", string? email = null) => new
    {
        subject = subject ?? "Payment failed " + Guid.NewGuid().ToString("N")[..8],
        description = description ?? "My card was charged but the order shows failed.",
        source,
        requesterEmail = email,
    };

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <param name="idempotencyKey">Sent when given; a client without credentials sends a new one otherwise, as the portal must.</param>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(body) };
        idempotencyKey ??= client.DefaultRequestHeaders.Authorization is null ? Guid.NewGuid().ToString() : null;
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> CreateAsync(HttpClient client, object? body = null)
    {
        using var response = await PostAsync(client, body ?? Body());
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).AsObject();
    }

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
