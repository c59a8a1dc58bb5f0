using System.Text.Json.Nodes;
using OpsDesk.Api.OpenApi;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.OpenApi;

/// <summary>What the served document says about credentials and problems, under the settings that change it.</summary>
public sealed class OpenApiSecurityAndProblemsTests
{
    private static async Task<JsonNode> ServedAsync(Dictionary<string, string?>? settings = null)
    {
        await using var factory = new ApiFactory(settings);
        return OpenApiDocuments.Parse(await OpenApiDocuments.FetchAsync(factory));
    }

    private static IEnumerable<(string OperationId, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (op.Value!["operationId"]!.GetValue<string>(), op.Value!)));

    private static JsonNode Operation(JsonNode document, string operationId) => Operations(document).Single(o => o.OperationId == operationId).Operation;

    /// <summary>Each alternative as its scheme names joined by '+'; "" is "no credentials".</summary>
    private static string[] Security(JsonNode operation) =>
        operation["security"]!.AsArray().Select(r => string.Join('+', r!.AsObject().Select(s => s.Key))).ToArray();

    private static string[] Statuses(JsonNode operation) =>
        operation["responses"]!.AsObject().Select(r => r.Key).Where(s => s[0] is '4' or '5').Order(StringComparer.Ordinal).ToArray();

    [Test]
    public async Task Each_operation_documents_the_problems_its_handler_and_the_pipeline_answer()
    {
        var document = await ServedAsync();
        string[] pipeline = ["401", "429", "503"];
        var expected = new Dictionary<string, string[]>
        {
            ["CreateTicket"] = [.. pipeline, "400", "413", "415", "422"],
            ["ListTickets"] = [.. pipeline, "400"],
            ["GetTicket"] = [.. pipeline, "404"],
            ["UpdateTicket"] = [.. pipeline, "400", "403", "404", "409", "413", "415"],
            ["CreateApiKey"] = [.. pipeline, "400", "403", "409", "413", "415"],
            ["ListApiKeys"] = [.. pipeline, "403"],
            ["GetApiKey"] = [.. pipeline, "403", "404"],
            ["RevokeApiKey"] = [.. pipeline, "403", "404"],
            ["RevokeApiKeyPost"] = [.. pipeline, "403", "404"],
            ["CreateComment"] = [.. pipeline, "400", "403", "404", "409", "413", "415", "422"],
            ["ListComments"] = [.. pipeline, "400", "404"],
            ["CreateAgent"] = [.. pipeline, "400", "403", "409", "413", "415"],
            ["ListAgents"] = [.. pipeline, "403"],
            ["GetAgent"] = [.. pipeline, "403", "404"],
            ["DeactivateAgent"] = [.. pipeline, "403", "404"],
        };

        var actual = Operations(document).ToDictionary(o => o.OperationId, o => Statuses(o.Operation));
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        Assert.Multiple(() =>
        {
            foreach (var (id, statuses) in expected)
                Assert.That(actual[id], Is.EqualTo(statuses.Order(StringComparer.Ordinal).ToArray()), id);
            foreach (var (id, operation) in Operations(document))
            {
                foreach (var status in Statuses(operation))
                {
                    var content = operation["responses"]![status]!["content"]!.AsObject();
                    Assert.That(content.Select(c => c.Key), Is.EqualTo(new[] { "application/problem+json" }), $"{id} {status}");
                }
            }
        });
    }

    [Test]
    public async Task Operations_accept_api_keys_ticket_tokens_on_read_and_no_credentials_on_create()
    {
        var document = await ServedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Security(Operation(document, "CreateTicket")), Is.EqualTo(new[] { SecuritySchemeNames.ApiKey, "" }));
            foreach (var id in new[] { "GetTicket", "CreateComment", "ListComments" })
                Assert.That(Security(Operation(document, id)), Is.EqualTo(new[] { SecuritySchemeNames.ApiKey, SecuritySchemeNames.TicketToken, SecuritySchemeNames.TicketTokenQuery }), id);
            foreach (var id in new[] { "ListTickets", "UpdateTicket", "CreateApiKey", "ListApiKeys", "GetApiKey", "RevokeApiKey", "RevokeApiKeyPost", "CreateAgent", "ListAgents", "GetAgent", "DeactivateAgent" })
                Assert.That(Security(Operation(document, id)), Is.EqualTo(new[] { SecuritySchemeNames.ApiKey }), id);
            var schemes = document["components"]!["securitySchemes"]!;
            Assert.That(schemes.AsObject().Select(s => s.Key), Is.EquivalentTo(new[] { SecuritySchemeNames.ApiKey, SecuritySchemeNames.TicketToken, SecuritySchemeNames.TicketTokenQuery }));
            Assert.That((schemes[SecuritySchemeNames.ApiKey]!["type"]!.GetValue<string>(), schemes[SecuritySchemeNames.ApiKey]!["scheme"]!.GetValue<string>()), Is.EqualTo(("http", "bearer")));
            Assert.That((schemes[SecuritySchemeNames.TicketToken]!["in"]!.GetValue<string>(), schemes[SecuritySchemeNames.TicketToken]!["name"]!.GetValue<string>()), Is.EqualTo(("header", "X-Ticket-Token")));
            Assert.That((schemes[SecuritySchemeNames.TicketTokenQuery]!["in"]!.GetValue<string>(), schemes[SecuritySchemeNames.TicketTokenQuery]!["name"]!.GetValue<string>()), Is.EqualTo(("query", "token")));
        });
    }

    [Test]
    public async Task With_jwt_on_and_anonymous_create_off_every_operation_also_accepts_a_jwt_and_create_needs_credentials()
    {
        var document = await ServedAsync(new()
        {
            ["Auth:Jwt:Authority"] = "https://login.opsdesk.test/",
            ["Auth:Jwt:Audience"] = "opsdesk-api",
            ["Auth:AllowAnonymousCreate"] = "false",
        });

        Assert.Multiple(() =>
        {
            Assert.That(Security(Operation(document, "CreateTicket")), Is.EqualTo(new[] { SecuritySchemeNames.ApiKey, SecuritySchemeNames.Jwt }));
            foreach (var (id, operation) in Operations(document))
            {
                Assert.That(Security(operation), Does.Contain(SecuritySchemeNames.Jwt), id);
                // A JWT may carry no OpsDesk role, which every policy refuses with 403.
                Assert.That(Statuses(operation), Does.Contain("403"), id);
            }

            var jwt = document["components"]!["securitySchemes"]![SecuritySchemeNames.Jwt]!;
            Assert.That((jwt["scheme"]!.GetValue<string>(), jwt["bearerFormat"]!.GetValue<string>()), Is.EqualTo(("bearer", "JWT")));
        });
    }

    [Test]
    public async Task With_rate_limits_off_no_operation_documents_429()
    {
        var document = await ServedAsync(new() { ["RateLimits:Enabled"] = "false" });

        Assert.That(Operations(document).Where(o => Statuses(o.Operation).Contains("429")).Select(o => o.OperationId), Is.Empty);
    }
}
