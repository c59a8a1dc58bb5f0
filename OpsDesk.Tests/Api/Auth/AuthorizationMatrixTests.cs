using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OpsDesk.Db.Auth;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Auth;

/// <summary>Every endpoint × every kind of caller → the status the authorization matrix promises.</summary>
public sealed class AuthorizationMatrixTests
{
    public enum Endpoint
    {
        CreateTicket,
        ListTickets,
        GetOwnedTicket,
        GetMissingTicket,
        ListKeys,
        CreateKey,
        PatchOwnedTicket,
        DeleteKey,
        RevokeKeyByPost,
        HealthLive,
        HealthReady,
        OpenApi,
        Docs,
    }

    public enum Who
    {
        Anonymous,
        Owner,
        OtherRequester,
        Agent,
        Admin,
        RevokedKey,
        MalformedHeader,
        TokenHolder,
    }

    // Columns in the order of Who: anonymous, owner, other requester, agent, admin, revoked, malformed, token holder.
    private static readonly Dictionary<Endpoint, int[]> Expected = new()
    {
        [Endpoint.CreateTicket] = [201, 201, 201, 201, 201, 401, 401, 201],
        [Endpoint.ListTickets] = [401, 200, 200, 200, 200, 401, 401, 401],
        [Endpoint.GetOwnedTicket] = [401, 200, 404, 200, 200, 401, 401, 200],
        [Endpoint.GetMissingTicket] = [401, 404, 404, 404, 404, 401, 401, 404],
        [Endpoint.PatchOwnedTicket] = [401, 403, 403, 200, 200, 401, 401, 401],
        [Endpoint.ListKeys] = [401, 403, 403, 403, 200, 401, 401, 401],
        [Endpoint.CreateKey] = [401, 403, 403, 403, 201, 401, 401, 401],
        [Endpoint.DeleteKey] = [401, 403, 403, 403, 204, 401, 401, 401],
        [Endpoint.RevokeKeyByPost] = [401, 403, 403, 403, 204, 401, 401, 401],
        [Endpoint.HealthLive] = [200, 200, 200, 200, 200, 200, 200, 200],
        [Endpoint.HealthReady] = [200, 200, 200, 200, 200, 200, 200, 200],
        [Endpoint.OpenApi] = [200, 200, 200, 200, 200, 200, 200, 200],
        [Endpoint.Docs] = [200, 200, 200, 200, 200, 200, 200, 200],
    };

    private ApiFactory factory = null!;
    private HttpClient http = null!;
    private readonly Dictionary<Who, string> keys = [];
    private long ownedTicketId;
    private string ownedTicketToken = "";

    public static IEnumerable<TestCaseData> Cases() =>
        from endpoint in Expected.Keys
        from who in Enum.GetValues<Who>()
        let status = Expected[endpoint][(int)who]
        select new TestCaseData(endpoint, who, status).SetName($"{endpoint} as {who} is {status}");

    [OneTimeSetUp]
    public async Task Start()
    {
        factory = new ApiFactory(new() { ["RateLimits:AnonymousCreatePermitLimit"] = "100000" });
        http = factory.CreateAnonymousClient();
        keys[Who.Owner] = (await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key;
        keys[Who.OtherRequester] = (await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Key;
        keys[Who.Agent] = (await ApiKeys.CreateAsync(ApiKeyRoles.Agent)).Key;
        keys[Who.Admin] = (await ApiKeys.CreateAsync(ApiKeyRoles.Admin)).Key;
        keys[Who.RevokedKey] = (await ApiKeys.CreateRevokedAsync(ApiKeyRoles.Admin)).Key;

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/tickets") { Content = JsonContent.Create(Tickets.Body()) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys[Who.Owner]);
        using var created = await http.SendAsync(create);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var ticket = await Tickets.ReadAsync(created);
        ownedTicketId = ticket["id"]!.GetValue<long>();
        ownedTicketToken = ticket["accessToken"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        http.Dispose();
        await factory.DisposeAsync();
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Caller_gets_the_status_of_the_matrix(Endpoint endpoint, Who who, int expected)
    {
        using var request = await RequestAsync(endpoint);
        switch (who)
        {
            case Who.Anonymous:
                break;
            case Who.MalformedHeader:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
                break;
            case Who.TokenHolder:
                request.Headers.Add("X-Ticket-Token", ownedTicketToken);
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys[who]);
                break;
        }

        using var response = await http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expected), body);
        if (expected is 401 or 403 or 404)
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        if (expected == 401)
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        if (expected == 401 && who is Who.RevokedKey or Who.MalformedHeader)
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
    }

    private async Task<HttpRequestMessage> RequestAsync(Endpoint endpoint) => endpoint switch
    {
        // As every client sends it: with an Idempotency-Key (required without credentials).
        Endpoint.CreateTicket => new(HttpMethod.Post, "/api/tickets")
        {
            Content = JsonContent.Create(Tickets.Body()),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        },
        Endpoint.ListTickets => new(HttpMethod.Get, "/api/tickets"),
        Endpoint.GetOwnedTicket => new(HttpMethod.Get, $"/api/tickets/{ownedTicketId}"),
        Endpoint.GetMissingTicket => new(HttpMethod.Get, "/api/tickets/987654321"),
        Endpoint.PatchOwnedTicket => new(HttpMethod.Patch, $"/api/tickets/{ownedTicketId}") { Content = JsonContent.Create(new { priority = "P1" }) },
        Endpoint.ListKeys => new(HttpMethod.Get, "/api/admin/keys"),
        Endpoint.CreateKey => new(HttpMethod.Post, "/api/admin/keys")
        {
            Content = JsonContent.Create(new { name = "matrix-" + Guid.NewGuid().ToString("N"), role = "requester" }),
        },
        Endpoint.DeleteKey => new(HttpMethod.Delete, $"/api/admin/keys/{(await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Id}"),
        Endpoint.RevokeKeyByPost => new(HttpMethod.Post, $"/api/admin/keys/{(await ApiKeys.CreateAsync(ApiKeyRoles.Requester)).Id}/revoke"),
        Endpoint.HealthLive => new(HttpMethod.Get, "/health/live"),
        Endpoint.HealthReady => new(HttpMethod.Get, "/health/ready"),
        Endpoint.OpenApi => new(HttpMethod.Get, "/openapi/v1.json"),
        Endpoint.Docs => new(HttpMethod.Get, "/docs"),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
    };
}
