using OpsDesk.Api.Auth;
using OpsDesk.Db.Events;
using OpsDesk.Tests.Api.OpenApi.Generated;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.OpenApi;

/// <summary>
/// The C# client NSwag generated from the served document (Generated/OpsDeskClient.g.cs, kept equal to a
/// fresh generation by <see cref="OpenApiContractTests"/>) against the real API and database.
/// </summary>
public sealed class GeneratedClientTests : ApiFixture
{
    private static string Token() => "gen" + Guid.NewGuid().ToString("N")[..12];

    private static CreateTicketRequest NewTicket(string token) => new()
    {
        Subject = $"Generated client {token}",
        Description = $"Order issue {token}: the invoice is wrong.",
        Source = "api",
    };

    [Test]
    public async Task Generated_client_creates_lists_reads_and_patches_a_ticket()
    {
        var client = new OpsDeskClient(Api);
        var token = Token();

        var created = await client.CreateTicketAsync(Guid.NewGuid().ToString(), NewTicket(token));
        var page = await client.ListTicketsAsync(null, null, null, "api", token, null, null, null, null, "10", null);
        var read = await client.GetTicketAsync(created.Id);
        var patched = await client.UpdateTicketAsync(created.Id, new UpdateTicketRequest { Status = "pending", Priority = "P1" });
        var reread = await client.GetTicketAsync(created.Id);

        Assert.Multiple(() =>
        {
            Assert.That(created.Id, Is.Positive);
            Assert.That(created.Status, Is.EqualTo("open"));
            Assert.That(created.AccessToken, Is.Not.Empty);
            Assert.That(page.Items.Select(t => t.Id), Is.EqualTo(new[] { created.Id }));
            Assert.That(page.NextCursor, Is.Null);
            Assert.That(read.Subject, Is.EqualTo($"Generated client {token}"));
            Assert.That(read.Events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.TicketCreated }));
            Assert.That(read.Events.First().Payload.ToString(), Does.Contain(created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That((patched.Id, patched.Status, patched.Priority), Is.EqualTo((created.Id, "pending", "P1")));
            Assert.That((reread.Status, reread.Priority), Is.EqualTo(("pending", "P1")));
            Assert.That(reread.Events.Select(e => e.Type), Is.SupersetOf(new[] { EventTypes.StatusChanged, EventTypes.PriorityChanged }));
        });
    }

    [Test]
    public async Task Generated_client_without_credentials_creates_with_a_key_replays_it_and_reads_by_the_access_token()
    {
        using var anonymous = Factory.CreateAnonymousClient();
        var client = new OpsDeskClient(anonymous);
        var key = Guid.NewGuid().ToString();
        var request = NewTicket(Token());

        var created = await client.CreateTicketAsync(key, request);
        var replayed = await client.CreateTicketAsync(key, request);
        anonymous.DefaultRequestHeaders.Add(TicketTokens.Header, replayed.AccessToken);
        var read = await client.GetTicketAsync(created.Id);

        Assert.Multiple(() =>
        {
            Assert.That(replayed.Id, Is.EqualTo(created.Id));
            Assert.That(replayed.AccessToken, Is.Not.EqualTo(created.AccessToken));
            Assert.That(read.Id, Is.EqualTo(created.Id));
        });
    }

    [Test]
    public async Task Generated_client_raises_the_documented_problem_details()
    {
        var client = new OpsDeskClient(Api);
        var created = await client.CreateTicketAsync(Guid.NewGuid().ToString(), NewTicket(Token()));
        await client.UpdateTicketAsync(created.Id, new UpdateTicketRequest { Status = "closed" });

        var invalid = Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() =>
            client.CreateTicketAsync(Guid.NewGuid().ToString(), new CreateTicketRequest { Subject = " ", Description = "d", Source = "api" }));
        var missing = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.GetTicketAsync(long.MaxValue));
        var conflict = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => client.UpdateTicketAsync(created.Id, new UpdateTicketRequest { Status = "open" }));
        using var anonymous = Factory.CreateAnonymousClient();
        var unauthorized = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => new OpsDeskClient(anonymous).ListTicketsAsync(null, null, null, null, null, null, null, null, null, null, null));
        using var requester = Factory.CreateClientWithKey((await ApiKeys.CreateAsync(OpsDesk.Db.Auth.ApiKeyRoles.Requester)).Key);
        var forbidden = Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => new OpsDeskClient(requester).UpdateTicketAsync(created.Id, new UpdateTicketRequest { Status = "open" }));

        Assert.Multiple(() =>
        {
            Assert.That((invalid!.StatusCode, invalid.Result.Errors?.Keys), Is.EqualTo((400, new[] { "subject" })));
            Assert.That((missing!.StatusCode, missing.Result.Title), Is.EqualTo((404, "Ticket not found")));
            Assert.That((conflict!.StatusCode, conflict.Result.Title), Is.EqualTo((409, "Change not allowed")));
            Assert.That((unauthorized!.StatusCode, unauthorized.Result.Title), Is.EqualTo((401, "Unauthorized")));
            Assert.That(unauthorized.Headers["WWW-Authenticate"], Is.Not.Empty);
            Assert.That((forbidden!.StatusCode, forbidden.Result.Title), Is.EqualTo((403, "Forbidden")));
            Assert.That(missing.Result.TraceId, Is.Not.Empty);
        });
    }
}
