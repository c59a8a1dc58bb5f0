using System.CommandLine;

namespace OpsDesk.Worker.Commands.Kb;

/// <summary><c>opsdesk kb import</c>: manage knowledge-base articles straight in the database.</summary>
public static class KbCommand
{
    public static Command Build() =>
        new("kb", "Manage knowledge-base articles (the worker embeds new and changed ones).")
        {
            KbImportCommand.Build(),
        };
}
