using System.CommandLine;
using System.Text.Json;
using OpsDesk.Db;
using OpsDesk.Db.Agents;
using OpsDesk.Worker.Commands.Keys;

namespace OpsDesk.Worker.Commands.Agents;

/// <summary><c>opsdesk agents create|list|deactivate</c>: manage agents (who stands behind agent and admin keys) straight in the database.</summary>
public static class AgentsCommand
{
    public static Command Build() =>
        new("agents", "Manage agents: the people behind agent and admin keys, comments and assignments.")
        {
            AgentsCreateCommand.Build(),
            AgentsListCommand.Build(),
            AgentsDeactivateCommand.Build(),
        };

    internal static Task<int> WithDatabaseAsync(ParseResult parse, Func<AgentRepository, TextWriter, TextWriter, Task<int>> action) =>
        KeysCommand.WithDatabaseAsync(parse, dataSource => new AgentRepository(dataSource), action);

    internal static void Write(Utf8JsonWriter w, AgentRow row)
    {
        w.WriteStartObject();
        w.WriteNumber("id", row.Id);
        w.WriteString("name", row.Name);
        w.WriteString("email", row.Email);
        w.WriteString("role", row.Role);
        w.WriteBoolean("active", row.Active);
        w.WriteString("jwtSubject", row.JwtSubject);
        w.WriteString("createdAt", UtcTime.Offset(row.CreatedAt));
        KeysCommand.WriteTime(w, "deactivatedAt", row.DeactivatedAt);
        w.WriteEndObject();
    }
}
