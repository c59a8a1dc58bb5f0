using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.Auth;

/// <summary>
/// The JWT path with a local signing key standing in for the identity provider's discovery
/// document (no network here); validation, role mapping and ownership run for real.
/// </summary>
public sealed class JwtTests : JwtApiFixture
{
    [Test]
    public async Task A_token_whose_group_maps_to_agent_lists_tickets()
    {
        using var client = Factory.CreateClientWithKey(Token("agent-1", "support-team"));

        using var response = await client.GetAsync("/api/tickets?limit=1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_requester_token_owns_the_tickets_it_creates_by_issuer_and_subject()
    {
        var word = "jwt" + Guid.NewGuid().ToString("N")[..12];
        using var alice = Factory.CreateClientWithKey(Token("alice-" + word, "customers"));
        using var bob = Factory.CreateClientWithKey(Token("bob-" + word, "customers"));

        var id = (await Tickets.CreateAsync(alice, Tickets.Body(description: $"Broken {word}")))["id"]!.GetValue<long>();
        using var own = await alice.GetAsync($"/api/tickets/{id}");
        using var foreign = await bob.GetAsync($"/api/tickets/{id}");
        var aliceList = await alice.GetFromJsonAsync<JsonObject>($"/api/tickets?q={word}");
        var bobList = await bob.GetFromJsonAsync<JsonObject>($"/api/tickets?q={word}");

        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(aliceList!["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(bobList!["items"]!.AsArray(), Is.Empty);
        Assert.That(await TestDatabase.ScalarAsync<string>("SELECT created_by_subject FROM tickets WHERE id = @id", ("id", id)), Is.EqualTo($"{LocalJwtIssuer.Issuer}|alice-{word}"));
    }

    [Test]
    public async Task A_valid_token_without_a_known_role_is_forbidden()
    {
        using var client = Factory.CreateClientWithKey(Token("nobody", "marketing"));

        using var response = await client.GetAsync("/api/tickets");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_token_signed_with_another_key_or_for_another_audience_is_a_401_problem()
    {
        using var forged = Factory.CreateClientWithKey(Token("agent-1", "support-team", new SymmetricSecurityKey(new byte[32])));
        using var otherAudience = Factory.CreateClientWithKey(Token("agent-1", "support-team", audience: "someone-else"));

        using var a = await forged.GetAsync("/api/tickets");
        using var b = await otherAudience.GetAsync("/api/tickets");

        foreach (var response in new[] { a, b })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("invalid_token"));
        }
    }

    [Test]
    public async Task A_subject_mapped_to_an_agent_acts_as_that_agent_with_its_role()
    {
        var subject = "mapped-" + Guid.NewGuid().ToString("N");
        await Support.Agents.CreateAsync(OpsDesk.Db.Auth.ApiKeyRoles.Admin, jwtSubject: subject);
        using var client = Factory.CreateClientWithKey(Token(subject, "customers"));

        using var response = await client.GetAsync("/api/admin/agents");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_subject_mapped_to_a_deactivated_agent_is_refused()
    {
        var subject = "gone-" + Guid.NewGuid().ToString("N");
        var agent = await Support.Agents.CreateAsync(jwtSubject: subject);
        await Support.Agents.Repository.DeactivateAsync(agent.Id);
        using var client = Factory.CreateClientWithKey(Token(subject, "support-team"));

        using var response = await client.GetAsync("/api/tickets");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Without_an_authority_a_jwt_is_just_an_unknown_key()
    {
        await using var plain = new ApiFactory();
        using var client = plain.CreateClientWithKey(Token("agent-1", "support-team"));

        using var response = await client.GetAsync("/api/tickets");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static string Token(string subject, string group, SecurityKey? key = null, string audience = LocalJwtIssuer.Audience) =>
        LocalJwtIssuer.Token(subject, group, key, audience);
}
