using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OpsDesk.Tests.Support;

/// <summary>HTTP and database helpers for comment tests.</summary>
public static class Comments
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, long ticketId, string body, bool isPublic = true, string? status = null, string? idempotencyKey = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{ticketId}/comments")
        {
            Content = JsonContent.Create(status is null ? new { body, @public = isPublic } : (object)new { body, @public = isPublic, status }),
        };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (token is not null)
            request.Headers.Add("X-Ticket-Token", token);
        return await client.SendAsync(request);
    }

    /// <summary>Posts and expects 201; returns the created comment.</summary>
    public static async Task<JsonObject> AddAsync(HttpClient client, long ticketId, string body, bool isPublic = true, string? status = null, string? token = null)
    {
        using var response = await PostAsync(client, ticketId, body, isPublic, status, token: token);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await Tickets.ReadAsync(response)).AsObject();
    }

    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.Add("X-Ticket-Token", token);
        return await client.SendAsync(request);
    }

    public static Task<long> CountAsync(long ticketId) =>
        TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_comments WHERE ticket_id = @t", ("t", ticketId));

    public static Task<long> CountEventsAsync(long ticketId, string type) =>
        TestDatabase.ScalarAsync<long>("SELECT count(*) FROM ticket_events WHERE ticket_id = @t AND type = @type", ("t", ticketId), ("type", type));

    /// <summary>The ticket's event types, oldest first.</summary>
    public static async Task<List<string>> EventTypesAsync(long ticketId)
    {
        var types = new List<string>();
        await using var cmd = TestDatabase.DataSource.CreateCommand("SELECT type FROM ticket_events WHERE ticket_id = @t ORDER BY id");
        cmd.Parameters.AddWithValue("t", ticketId);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            types.Add(reader.GetString(0));
        return types;
    }
}
