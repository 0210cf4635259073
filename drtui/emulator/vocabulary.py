"""Word lists the synthetic fleet is built from.

Kept apart from the generator so the generator reads as logic; the lists are long enough that
10,000 deployments come out varied rather than as a dozen names repeated.
"""

from __future__ import annotations

# (use case, target type, target name): the target type follows from what the model predicts.
USE_CASES: tuple[tuple[str, str, str], ...] = (
    ("Churn Predictor", "Binary", "churned"),
    ("Fraud Detection", "Binary", "is_fraud"),
    ("Credit Risk Scorer", "Binary", "default_12m"),
    ("Lead Scoring", "Binary", "converted"),
    ("Loan Default", "Binary", "defaulted"),
    ("Patient No-Show", "Binary", "no_show"),
    ("Readmission Risk", "Binary", "readmitted_30d"),
    ("Spam Filter", "Binary", "is_spam"),
    ("Claims Triage", "Multiclass", "claim_route"),
    ("Support Ticket Router", "Multiclass", "queue"),
    ("Sentiment Classifier", "Multiclass", "sentiment"),
    ("Product Categorizer", "Multiclass", "category"),
    ("Intent Detection", "Multiclass", "intent"),
    ("Demand Forecast", "Regression", "units_sold"),
    ("Price Optimizer", "Regression", "optimal_price"),
    ("Delivery ETA", "Regression", "minutes_to_delivery"),
    ("Energy Load Forecast", "Regression", "load_mw"),
    ("LTV Estimator", "Regression", "lifetime_value"),
    ("Inventory Planner", "Regression", "reorder_qty"),
    ("House Price Estimator", "Regression", "sale_price"),
    ("Document Summarizer", "TextGeneration", "summary"),
    ("Support Copilot", "TextGeneration", "answer"),
    ("Contract Q&A Assistant", "TextGeneration", "answer"),
    ("Release Notes Writer", "TextGeneration", "draft"),
    ("Transaction Anomaly Monitor", "Anomaly", "anomaly_score"),
    ("Sensor Anomaly Detector", "Anomaly", "anomaly_score"),
    ("Network Intrusion Watch", "Anomaly", "anomaly_score"),
    ("Recommendation Ranker", "Regression", "relevance"),
    ("Tag Suggester", "Multilabel", "tags"),
    ("Image Defect Inspector", "Multiclass", "defect_type"),
    ("Agent Tool Router", "AgenticWorkflow", "response"),
    ("Retrieval Embedder", "VectorDatabase", "embedding"),
)

SEGMENTS: tuple[str, ...] = (
    "",
    "",
    "",
    "",
    "Retail",
    "SMB",
    "Enterprise",
    "EMEA",
    "APAC",
    "US",
    "LATAM",
    "Mobile",
    "Web",
    "Payments",
    "Cards",
    "Wholesale",
    "B2B",
    "Consumer",
    "Partner",
)

SUFFIXES: tuple[tuple[str, str], ...] = (
    (" (prod)", "prod"),
    (" (prod)", "prod"),
    ("", "prod"),
    (" (staging)", "staging"),
    (" (dev)", "dev"),
    (" - canary", "prod"),
    (" - shadow", "staging"),
    (" (challenger)", "staging"),
)

DESCRIPTIONS: tuple[str, ...] = (
    "Scores {target} for the {team} team; retrained monthly.",
    "Owned by {team}. Feeds the nightly {segment} dashboard.",
    "Realtime scoring of {target} behind the checkout API.",
    "Batch job predicting {target}; results land in the warehouse at 02:00 UTC.",
    "Replaces the rules engine for {target}. Page the {team} on-call if service health fails.",
    "Experimental model for {target}; do not use for decisions yet.",
    "Serves {target} to the {segment} mobile app.",
    "",
)

TEAMS: tuple[str, ...] = (
    "risk",
    "growth",
    "ops",
    "data-science",
    "marketing",
    "finance",
    "fraud",
    "supply-chain",
    "customer-success",
    "platform",
    "search",
    "health-analytics",
)

REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
)

FIRST_NAMES: tuple[str, ...] = (
    "Ada",
    "Bruno",
    "Chen",
    "Divya",
    "Emeka",
    "Farah",
    "Gustavo",
    "Hana",
    "Ivan",
    "Jamal",
    "Keiko",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Stefan",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
)

LAST_NAMES: tuple[str, ...] = (
    "Okafor",
    "Silva",
    "Nguyen",
    "Kowalski",
    "Haddad",
    "Moreau",
    "Tanaka",
    "Fischer",
    "Patel",
    "Garcia",
    "Johansson",
    "Rossi",
    "Kim",
    "Ahmed",
    "Novak",
    "Murphy",
)

MODEL_TYPES: dict[str, tuple[str, ...]] = {
    "Binary": (
        "eXtreme Gradient Boosted Trees Classifier with Early Stopping",
        "Light Gradient Boosted Trees Classifier with Early Stopping",
        "Regularized Logistic Regression (L2)",
        "Keras Slim Residual Neural Network Classifier",
        "RandomForest Classifier (Gini)",
    ),
    "Multiclass": (
        "eXtreme Gradient Boosted Trees Classifier",
        "Stochastic Gradient Descent Classifier",
        "Fine-Tuned Text Classifier (DistilBERT)",
    ),
    "Regression": (
        "eXtreme Gradient Boosted Trees Regressor with Early Stopping",
        "Light Gradient Boosting on ElasticNet Predictions",
        "Elastic-Net Regressor (L1 / Least-Squares Loss)",
        "Generalized Additive2 Model",
    ),
    "TextGeneration": ("LLM Blueprint (GPT-4o + RAG)", "LLM Blueprint (Llama 3 70B)"),
    "Anomaly": ("Isolation Forest Anomaly Detection", "Double Median Absolute Deviation Anomaly"),
    "Multilabel": ("Multilabel Gradient Boosted Trees",),
    "AgenticWorkflow": ("Agentic Workflow (custom)",),
    "VectorDatabase": ("Vector Database (FAISS)",),
}

CUSTOM_ENVIRONMENTS: tuple[tuple[str, str], ...] = (
    ("[DataRobot] Python 3.11 GenAI", "Python"),
    ("[DataRobot] Python 3.9 Scikit-Learn Drop-In", "Python"),
    ("[DataRobot] Python 3 PyTorch Drop-In", "Python"),
    ("[DataRobot] R Drop-In", "R"),
    ("[DataRobot] Java Drop-In", "Java"),
    ("[Custom] Julia 1.10 MLJ", "Julia"),
    ("[Custom] ONNX Runtime", "Other"),
)

# (name, platform, managed by management agent, plugin)
PREDICTION_ENVIRONMENTS: tuple[tuple[str, str, bool, str | None], ...] = (
    ("DataRobot Serverless", "datarobotServerless", False, None),
    ("DataRobot Serverless (GPU)", "datarobotServerless", False, None),
    ("DataRobot Prediction Servers", "datarobot", False, None),
    ("EKS us-east-1 prod", "aws", True, "mlops-k8s-plugin"),
    ("SageMaker us-west-2", "aws", True, "sagemaker"),
    ("GKE europe-west4", "gcp", True, "mlops-k8s-plugin"),
    ("Vertex AI us-central1", "gcp", True, None),
    ("AKS westeurope", "azure", True, "mlops-k8s-plugin"),
    ("Azure ML eastus", "azure", True, None),
    ("On-prem Kubernetes (Frankfurt DC)", "onPremise", True, "mlops-k8s-plugin"),
    ("OpenShift Cluster Prod", "openShift", True, "openshift"),
    ("Snowflake Warehouse", "snowflake", False, None),
    ("SAP AI Core", "sapAiCore", True, None),
    ("Edge devices (fleet 7)", "other", True, None),
)

PREDICTION_SERVERS: tuple[str, ...] = (
    "https://acme.orm.datarobot.com",
    "https://acme-eu.orm.datarobot.com",
    "https://acme-gpu.orm.datarobot.com",
)

HEALTH_MESSAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "serviceHealth": {
        "passing": ("All service health checks passed.",),
        "warning": (
            "Median latency above 800 ms in the last hour.",
            "Data error rate above 1% in the last hour.",
        ),
        "failing": (
            "Server error rate above 5% in the last hour.",
            "Prediction server unreachable for 10 minutes.",
        ),
        "unknown": ("No predictions in the monitoring period.",),
    },
    "modelHealth": {
        "passing": ("No drift detected.",),
        "warning": (
            "Low-importance feature drift detected in 2 features.",
            "Target drift approaching threshold.",
        ),
        "failing": (
            "High-importance feature drift detected: 'tenure_months'.",
            "Target drift above threshold.",
        ),
        "unknown": ("Not enough predictions to compute drift.",),
        "notStarted": ("Drift tracking has not started.",),
    },
    "accuracyHealth": {
        "passing": ("Accuracy within thresholds.",),
        "warning": ("LogLoss degraded 8% versus training.", "RMSE up 6% versus last week."),
        "failing": ("LogLoss degraded 23% versus training.", "AUC dropped below 0.70."),
        "unknown": ("No actuals received in the monitoring period.",),
        "unavailable": ("Accuracy tracking requires an association ID.",),
    },
}
