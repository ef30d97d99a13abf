using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LegacyLinking.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RampPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ramp_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FromPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    ToPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ActorEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Why = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    NewSent = table.Column<long>(type: "INTEGER", nullable: true),
                    NewOk = table.Column<long>(type: "INTEGER", nullable: true),
                    OldSent = table.Column<long>(type: "INTEGER", nullable: true),
                    OldOk = table.Column<long>(type: "INTEGER", nullable: true),
                    NewTenantErrors = table.Column<long>(type: "INTEGER", nullable: true),
                    OldTenantErrors = table.Column<long>(type: "INTEGER", nullable: true),
                    PValue = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ramp_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ramp_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ramp_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "ramp_plans",
                columns: table => new
                {
                    Operation = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FromFlow = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ToFlow = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Steps = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    MinStepSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    MinRequests = table.Column<int>(type: "INTEGER", nullable: false),
                    Alpha = table.Column<double>(type: "REAL", nullable: false),
                    DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Percent = table.Column<int>(type: "INTEGER", nullable: false),
                    StepStartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ramp_plans", x => x.Operation);
                });

            migrationBuilder.InsertData(
                table: "ramp_leases",
                columns: new[] { "Name", "ExpiresAt", "Holder" },
                values: new object[] { "engine", new DateTime(2000, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), "" });

            migrationBuilder.CreateIndex(
                name: "IX_ramp_events_Operation_Id",
                table: "ramp_events",
                columns: new[] { "Operation", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ramp_events");

            migrationBuilder.DropTable(
                name: "ramp_leases");

            migrationBuilder.DropTable(
                name: "ramp_plans");
        }
    }
}
